// /CODE/projector — the leader's projector view: the join link with its QR code (from the page's fragment,
// never from the server: see lib/workshop/links.ts), the join code in big type, and the live leaderboard.
import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { getRequestLang } from '@/lib/i18n/requestLang';
import { translate } from '@/lib/i18n/translate';
import { getDashboardWorkshopStore } from '@/lib/db/pg/dashboardWorkshopStore';
import { isJoinCode } from '@/lib/workshop/joinCode';
import { WorkshopBoardView } from '../../_components/workshop/WorkshopBoardView';
import { WorkshopExplanation } from '../../_components/workshop/WorkshopExplanation';
import { ProjectorJoin } from '../../_components/workshop/ProjectorJoin';

export const dynamic = 'force-dynamic';

type Params = { params: Promise<{ code: string }> };

export async function generateMetadata(): Promise<Metadata> {
  return { title: translate(await getRequestLang(), 'projector.title'), referrer: 'no-referrer' };
}

export default async function ProjectorPage({ params }: Params) {
  const [lang, { code }] = await Promise.all([getRequestLang(), params]);
  if (!isJoinCode(code)) notFound();
  const got = await getDashboardWorkshopStore('read');
  const workshop = got.ok ? await got.store.getWorkshopByCode(code) : null;
  if (!workshop || !got.ok) notFound();
  const board = await got.store.getBoard(workshop, lang);
  return (
    <div className="projector">
      <h1>
        {translate(lang, 'projector.title')}: {workshop.name} <span className="projector-code" data-testid="projector-code">{code}</span>
      </h1>
      <ProjectorJoin code={code} lang={lang} />
      <WorkshopBoardView initial={board} lang={lang} big />
      <WorkshopExplanation />
    </div>
  );
}
