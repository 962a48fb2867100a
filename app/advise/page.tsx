import type { Metadata } from 'next';
import { getRequestLang } from '@/lib/i18n/requestLang';
import { translate, type MessageKey } from '@/lib/i18n/translate';
import { getDashboardDb } from '@/lib/queries/dashboardDb';
import { getPageAdvice } from '@/lib/advise/pageAdvice';
import type { SearchParams } from '@/lib/queries/params';
import { GOALS, READING_TOKENS_PER_SEC, TTFT_PROMPT_TOKENS, DEFAULT_CONTEXT_TOKENS, type Goal } from '@/lib/advise/advise';
import { USABLE_MEMORY_SHARE } from '@/lib/records/machineProfiles';
import { formatDateTime } from '@/lib/format/dates';
import { formatNumber } from '@/lib/format/numbers';
import { formatBanded, formatBytes, formatPercent, formatWatts } from '@/lib/format/units';
import { describeBasis, describeEnergyList } from '@/lib/format/energyLabel';
import { AutoSubmitForm } from '../_components/AutoSubmitForm';
import { EmptyState, WithCode } from '../_components/ui';

export const dynamic = 'force-dynamic';

export async function generateMetadata(): Promise<Metadata> {
  return { title: translate(await getRequestLang(), 'advise.title') };
}

export default async function AdvisePage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const [lang, sp] = await Promise.all([getRequestLang(), searchParams]);
  const t = (k: MessageKey, v?: Record<string, string | number>) => translate(lang, k, v);
  const conn = getDashboardDb();
  if (conn.status === 'missing') return <EmptyState lang={lang} path={conn.path} reason={conn.reason} problem={conn.problem} />;
  const goal: Goal = GOALS.find((g) => g === sp.goal) ?? 'speed';
  const advice = await getPageAdvice(conn.db, goal);
  if (!advice) {
    return (
      <>
        <h1>{t('advise.title')}</h1>
        <p data-testid="advise-none">
          <WithCode text={t('advise.none')} />
        </p>
      </>
    );
  }
  const { profile, ranked, pick, budget, onThisMachine } = advice;
  const fit = profile.fit;
  const watts = fit.decodeWatts;
  const wattsText = watts ? `${formatWatts(watts.meanW, lang)} [${describeEnergyList(watts.sources, lang)}; ${describeBasis(watts.basis, lang)}]` : t('common.notMeasured');
  const goalLabel = (g: Goal) => (g === 'largest' ? t('advise.goal.largest', { tps: READING_TOKENS_PER_SEC }) : t(`advise.goal.${g}`));
  return (
    <>
      <h1>{t('advise.title')}</h1>
      <p className="muted">{t('advise.machine', { machine: profile.machineLabel, date: formatDateTime(profile.createdAt, lang) })}</p>
      <p className="muted" data-testid="advise-disk-note">
        <WithCode text={t(onThisMachine ? 'advise.disk.included' : 'advise.disk.otherMachine')} />
      </p>
      <p>
        {t('advise.profile', {
          bw: formatNumber(fit.generation.bandwidthBytesPerSec / 1e9, lang),
          flops: formatNumber(fit.prompt.flopsPerSec / 1e9, lang),
          watts: wattsText,
        })}
      </p>
      <AutoSubmitForm action="/advise" className="filters" label={t('advise.goal')}>
        <label className="field">
          <span>{t('advise.goal')}</span>
          <select name="goal" defaultValue={goal} data-testid="advise-goal">
            {GOALS.map((g) => (
              <option key={g} value={g}>
                {goalLabel(g)}
              </option>
            ))}
          </select>
        </label>
        <button type="submit">{t('common.apply')}</button>
      </AutoSubmitForm>
      <p data-testid="advise-pick">
        <strong>{pick ? t('advise.pick', { model: `${pick.candidate.name} ${pick.candidate.quant ?? ''}`.trim() }) : t('advise.noPick')}</strong>
      </p>
      <div className="table-wrap">
        <table data-testid="advise-table">
          <thead>
            <tr>
              <th scope="col">#</th>
              <th scope="col">{t('advise.col.model')}</th>
              <th scope="col" className="num">{t('advise.col.file')}</th>
              <th scope="col" className="num">{t('advise.col.needs')}</th>
              <th scope="col">{t('advise.col.fits')}</th>
              <th scope="col" className="num">{t('advise.col.gen')}</th>
              <th scope="col" className="num">{t('advise.col.ttft', { n: formatNumber(TTFT_PROMPT_TOKENS, lang) })}</th>
              <th scope="col" className="num">{t('advise.col.energy')}</th>
            </tr>
          </thead>
          <tbody>
            {ranked.map((a, i) => (
              <tr key={a.candidate.id} className={a.fits ? undefined : 'muted'}>
                <td className="num">{i + 1}</td>
                <td>
                  {a.candidate.name} {a.candidate.quant ?? ''}
                  <div className="muted">
                    {a.candidate.disk ? (
                      <span data-testid="advise-on-disk">{t('advise.onDisk', { store: a.candidate.disk.storeLabel, path: a.candidate.disk.path })}</span>
                    ) : a.candidate.source.startsWith('https://') ? (
                      <a href={a.candidate.source} rel="noreferrer noopener" target="_blank">
                        {t('advise.source')}
                      </a>
                    ) : (
                      a.candidate.source
                    )}
                  </div>
                </td>
                <td className="num">{formatBytes(a.candidate.sizeBytes, lang)}</td>
                <td className="num">{formatBytes(a.needBytes, lang)}</td>
                <td>{a.fits ? t(a.fitsRam ? 'advise.fits.ram' : 'advise.fits.vram') : t('advise.fits.no')}</td>
                <td className="num">{formatBanded(a.genTokensPerSec, 'tokPerSec', lang)}</td>
                <td className="num">{formatBanded({ value: a.ttftMs.value / 1000, low: a.ttftMs.low / 1000, high: a.ttftMs.high / 1000 }, 's', lang)}</td>
                <td className="num">{formatBanded(a.joulesPer1000Tokens, 'joules', lang)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p className="muted">
        {t('advise.predicted', {
          gen: fit.heldOut ? formatPercent(fit.heldOut.genError * 100, lang, 1) : '–',
          prompt: fit.heldOut ? formatPercent(fit.heldOut.promptError * 100, lang, 1) : '–',
        })}
      </p>
      <p className="muted">{t('advise.energyLabel', { label: wattsText })}</p>
      <p className="muted">
        <WithCode
          text={t('advise.budget', { ram: formatBytes(budget.ramBytes, lang), share: formatPercent(USABLE_MEMORY_SHARE * 100, lang), ctx: formatNumber(DEFAULT_CONTEXT_TOKENS, lang) })}
        />
      </p>
    </>
  );
}
