// PostgreSQL migrations (drizzle/pg) from the generated PG mirror of lib/db/schema.ts: `npm run db:generate`.
import { defineConfig } from 'drizzle-kit';

export default defineConfig({
  dialect: 'postgresql',
  schema: './lib/db/pg/schema.ts',
  out: './drizzle/pg',
});
