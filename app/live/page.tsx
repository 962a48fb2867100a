import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { getRequestLang } from '@/lib/i18n/requestLang';
import { translate } from '@/lib/i18n/translate';
import { getDashboardDb } from '@/lib/queries/dashboardDb';
import { getLiveRun } from '@/lib/queries/getLiveRun';
import { first, parseId, type SearchParams } from '@/lib/queries/params';
import { LiveView } from '../_components/LiveView';

export const dynamic = 'force-dynamic';

export async function generateMetadata(): Promise<Metadata> {
  return { title: translate(await getRequestLang(), 'live.title') };
}

export default async function LivePage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const [lang, sp] = await Promise.all([getRequestLang(), searchParams]);
  const raw = first(sp.run);
  const runId = raw === undefined || raw === '' ? null : parseId(raw);
  if (raw !== undefined && raw !== '' && runId === null) notFound();
  const conn = getDashboardDb();
  const live = conn.status === 'ok' ? getLiveRun(conn.db, runId) : null;
  if (runId !== null && conn.status === 'ok' && live === null) notFound();
  return (
    <>
      <h1>
        {translate(lang, 'live.title')}
        {runId === null ? <span className="muted"> · {translate(lang, 'live.following')}</span> : null}
      </h1>
      <LiveView initial={live} runId={runId} lang={lang} />
    </>
  );
}
