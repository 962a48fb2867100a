import type { Lang } from '@/lib/i18n/lang';
import { translate, type MessageKey } from '@/lib/i18n/translate';
import type { EnergyRow } from '@/lib/db/schema';
import { describeBoundary, describeMethod, describeSource } from '@/lib/format/energyLabel';
import { formatJoules, formatJPerToken, formatPercent, formatWatts, formatWh } from '@/lib/format/units';
import type { EnergyJson } from '@/lib/energy/energyJson';
import { Value } from './ui';

/** The run's energy object as stored in its summary; runs recorded before a field existed lack it. */
export type StoredEnergy = Partial<Pick<EnergyJson, 'prefillJ' | 'decodeJ' | 'prefillJPerPromptToken' | 'decodeJPerToken' | 'cpuLoad' | 'othersLoadWarning'>>;

/**
 * Whole-run energy per source and domain, each row naming its sensor (or estimate), boundary, method and how
 * its repetition windows were read; then prompt processing and generation, and whose CPU work the figures saw.
 */
export function EnergyPanel({ rows, energy, lang }: { rows: EnergyRow[]; energy?: StoredEnergy | null; lang: Lang }) {
  const t = (k: MessageKey, v?: Record<string, string | number>) => translate(lang, k, v);
  if (!rows.length) return <p className="notice warn" data-testid="energy-none">{t('detail.energy.none')}</p>;
  const warning = energy?.othersLoadWarning ?? null;
  const cpu = energy?.cpuLoad ?? null;
  return (
    <>
      {warning ? (
        <p className="notice warn" data-testid="energy-others-warning">
          {t('detail.energy.othersWarning', { others: formatPercent(warning.othersPercent, lang), threshold: formatPercent(warning.thresholdPercent, lang) })}{' '}
          {warning.includedBy.length ? `${t('detail.energy.othersIncluded', { sources: warning.includedBy.join(', ') })} ` : ''}
          {warning.estimateAttributed ? `${t('detail.energy.othersEstimate')} ` : ''}
          {t('detail.energy.othersTimings')}
        </p>
      ) : null}
      <EnergyTable rows={rows} lang={lang} />
      {energy?.prefillJ !== undefined && energy.prefillJ !== null && energy.decodeJ !== undefined && energy.decodeJ !== null ? (
        <p data-testid="energy-phases">
          {t('detail.energy.phases', {
            prefill: formatJoules(energy.prefillJ, lang),
            perPrompt: formatJPerToken(energy.prefillJPerPromptToken, lang),
            decode: formatJoules(energy.decodeJ, lang),
            perToken: formatJPerToken(energy.decodeJPerToken, lang),
          })}
        </p>
      ) : null}
      {cpu ? (
        <p className="muted" data-testid="energy-cpu-load">
          {t('detail.energy.cpuLoad', {
            machine: formatPercent(cpu.machinePercent, lang),
            process: formatPercent(cpu.processPercent, lang),
            others: formatPercent(cpu.othersPercent, lang),
          })}
        </p>
      ) : null}
    </>
  );
}

function EnergyTable({ rows, lang }: { rows: EnergyRow[]; lang: Lang }) {
  const t = (k: MessageKey, v?: Record<string, string | number>) => translate(lang, k, v);
  return (
    <div className="table-wrap">
      <table data-testid="energy-table">
        <thead>
          <tr>
            <th scope="col">{t('detail.energy.source')}</th>
            <th scope="col">{t('detail.energy.domain')}</th>
            <th scope="col">{t('detail.energy.boundary')}</th>
            <th scope="col">{t('detail.energy.method')}</th>
            <th scope="col" className="num">{t('detail.energy.joules')}</th>
            <th scope="col" className="num">{t('detail.energy.prefill')}</th>
            <th scope="col" className="num">{t('detail.energy.decode')}</th>
            <th scope="col" className="num">{t('detail.energy.net')}</th>
            <th scope="col" className="num">{t('detail.energy.meanW')}</th>
            <th scope="col" className="num">{t('detail.energy.peakW')}</th>
            <th scope="col" className="num">{t('detail.energy.idleW')}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.id}>
              <td>
                {describeSource(r.source, lang, r.estimateModel)}
                {r.partial ? <div className="tag estimate">{t('detail.energy.partial', { note: r.note ?? '' })}</div> : null}
                {(r as EnergyRow & { countsTowardTotal?: boolean }).countsTowardTotal === false ? (
                  <div className="tag">{t('detail.energy.contained')}</div>
                ) : null}
              </td>
              <td className="mono">{r.domain}</td>
              <td>{describeBoundary(r.boundary, lang)}</td>
              <td>
                {describeMethod(r.method, lang)}
                {r.windowing ? <div className="muted">{t(r.windowing === 'edges' ? 'detail.energy.windowing.edges' : 'detail.energy.windowing.proRata')}</div> : null}
              </td>
              <td className="num">
                {formatJoules(r.joules, lang)}
                <div className="muted">{formatWh(r.joules / 3600, lang)}</div>
              </td>
              <td className="num">
                <Value value={r.prefillJoules} text={formatJoules(r.prefillJoules, lang)} lang={lang} />
              </td>
              <td className="num">
                <Value value={r.decodeJoules} text={formatJoules(r.decodeJoules, lang)} lang={lang} />
              </td>
              <td className="num">
                <Value value={r.netJoules} text={formatJoules(r.netJoules, lang)} lang={lang} />
              </td>
              <td className="num">
                <Value value={r.meanW} text={formatWatts(r.meanW, lang)} lang={lang} />
              </td>
              <td className="num">
                <Value value={r.peakW} text={formatWatts(r.peakW, lang)} lang={lang} />
              </td>
              <td className="num">
                <Value value={r.idleW} text={formatWatts(r.idleW, lang)} lang={lang} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
