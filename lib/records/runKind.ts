// Which runs are benchmarks: the pages that compare models (Compare, Machines) leave monitor runs out — they ran
// no model and have no tokens — while lists, the Live page and the run page show them, labelled.
import { sql } from 'drizzle-orm';
import { runs } from '../db/schema';

/** True for every run but a monitor (`runs.kind` null on benchmarks and older runs). */
export const notMonitor = sql`coalesce(${runs.kind}, '') <> 'monitor'`;
