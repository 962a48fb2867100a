// What a monitor run watched, in words, for the terminal and the pages: "pid 1234 (node)", "the processes named
// ollama (pids 1, 2)", "the whole machine".
import type { Lang } from '../i18n/lang';
import { translate } from '../i18n/translate';

export interface MonitorTargetFacts {
  target: 'pid' | 'process' | 'machine';
  name: string | null;
  pids: readonly number[];
}

export function describeMonitorTarget(m: MonitorTargetFacts, lang: Lang): string {
  if (m.target === 'machine') return translate(lang, 'monitor.target.machine');
  const pids = m.pids.join(', ');
  return translate(lang, m.target === 'pid' ? 'monitor.target.pid' : 'monitor.target.process', { pids, name: m.name ?? '?' });
}
