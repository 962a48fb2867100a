import type { Lang } from '@/lib/i18n/lang';
import { translate, type MessageKey } from '@/lib/i18n/translate';
import type { EnergyRow } from '@/lib/db/schema';
import { describeBoundary, describeMethod, describeSource } from '@/lib/format/energyLabel';
import { formatJoules, formatWatts, formatWh } from '@/lib/format/units';
import { Value } from './ui';

/** Whole-run energy per source and domain, each row naming its sensor (or estimate), boundary and method. */
export function EnergyPanel({ rows, lang }: { rows: EnergyRow[]; lang: Lang }) {
  const t = (k: MessageKey, v?: Record<string, string | number>) => translate(lang, k, v);
  if (!rows.length) return <p className="notice warn" data-testid="energy-none">{t('detail.energy.none')}</p>;
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
                {describeSource(r.source, lang, r.note)}
                {r.partial ? <div className="tag estimate">{t('detail.energy.partial', { note: r.note ?? '' })}</div> : null}
                {(r as EnergyRow & { countsTowardTotal?: boolean }).countsTowardTotal === false ? (
                  <div className="tag">{t('detail.energy.contained')}</div>
                ) : null}
              </td>
              <td className="mono">{r.domain}</td>
              <td>{describeBoundary(r.boundary, lang)}</td>
              <td>{describeMethod(r.method, lang)}</td>
              <td className="num">
                {formatJoules(r.joules, lang)}
                <div className="muted">{formatWh(r.joules / 3600, lang)}</div>
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
