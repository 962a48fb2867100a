// Dates and clocks in the page's language (server-side: the server's time zone is the machine's).
// Durations are numbers: formatDuration lives in ./numbers.
import type { Lang } from '../i18n/lang';
import { notMeasured } from './units';

const dateTimeCache = new Map<string, Intl.DateTimeFormat>();

/** "27 Nov 2025, 10:04" / "27 nov. 2025, 10:04". */
export function formatDateTime(epochMs: number | null | undefined, lang: Lang, timeZone?: string): string {
  if (epochMs === null || epochMs === undefined || !Number.isFinite(epochMs)) return notMeasured(lang);
  const key = `${lang}|${timeZone ?? ''}`;
  let df = dateTimeCache.get(key);
  if (!df) {
    df = new Intl.DateTimeFormat(lang === 'en' ? 'en-GB' : 'fr-FR', { dateStyle: 'medium', timeStyle: 'short', timeZone });
    dateTimeCache.set(key, df);
  }
  return df.format(new Date(epochMs));
}

/** A running clock for big displays: "0:42", "7:22", "1:02:03". */
export function formatClock(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms) || ms < 0) return '–';
  const total = Math.floor(ms / 1000);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = String(total % 60).padStart(2, '0');
  return h ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
}
