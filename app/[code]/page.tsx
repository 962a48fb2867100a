// /CODE — a workshop's page: machines as they join with their progress, the leaderboard, the room's energy
// against the cloud, and the explanation in English and French. Any path that is not an existing workshop's
// code is a 404, like every other unknown path.
import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { getRequestLang } from '@/lib/i18n/requestLang';
import { translate } from '@/lib/i18n/translate';
import { getDashboardWorkshopStore } from '@/lib/db/pg/dashboardWorkshopStore';
import { isJoinCode } from '@/lib/workshop/joinCode';
import { WithCode } from '../_components/ui';
import { WorkshopBoardView } from '../_components/workshop/WorkshopBoardView';
import { WorkshopExplanation } from '../_components/workshop/WorkshopExplanation';
import { JoinHint } from '../_components/workshop/JoinHint';

export const dynamic = 'force-dynamic';

type Params = { params: Promise<{ code: string }> };

async function findWorkshop(code: string) {
  if (!isJoinCode(code)) return null;
  const got = await getDashboardWorkshopStore('read');
  if (!got.ok) return null;
  const workshop = await got.store.getWorkshopByCode(code);
  return workshop ? { store: got.store, workshop } : null;
}

export async function generateMetadata({ params }: Params): Promise<Metadata> {
  const [lang, { code }] = await Promise.all([getRequestLang(), params]);
  const found = await findWorkshop(code);
  return found ? { title: translate(lang, 'workshop.title', { name: found.workshop.name }) } : {};
}

export default async function WorkshopPage({ params }: Params) {
  const [lang, { code }] = await Promise.all([getRequestLang(), params]);
  const found = await findWorkshop(code);
  if (!found) notFound();
  const board = await found.store.getBoard(found.workshop, lang);
  return (
    <>
      <h1>
        {translate(lang, 'workshop.title', { name: found.workshop.name })} <span className="muted">· {translate(lang, 'workshop.code', { code })}</span>
      </h1>
      <p className="lead">
        <JoinHint code={code} lang={lang} fallback={<WithCode text={translate(lang, 'workshop.joinHint', { url: `/${code}` })} />} />
      </p>
      <WorkshopBoardView initial={board} lang={lang} />
      <WorkshopExplanation />
    </>
  );
}
