// Local against cloud for one run: energy, carbon and water side by side; cloud figures as ranges,
// providers' published figures as labelled reference points. Takes the plain comparison object.
import type { Lang } from '@/lib/i18n/lang';
import { translate, type MessageKey } from '@/lib/i18n/translate';
import type { FitRange, FootprintComparison } from '@/lib/queries/footprintTypes';
import { formatGco2e, formatMl, formatRange, formatWh, unit, type UnitKey } from '@/lib/format/units';
import { formatCount, formatNumber } from '@/lib/format/numbers';
import { describeBasis } from '@/lib/format/energyLabel';
import { RangeLegend, RangePlot, type RangeRow } from './RangePlot';

export function FootprintView({ comparison: c, answers, lang }: { comparison: FootprintComparison; answers: number; lang: Lang }) {
  const t = (k: MessageKey, v?: Record<string, string | number>) => translate(lang, k, v);
  const range = (low: number, high: number, key: UnitKey) => formatRange(low, high, key, lang);
  // The local figure says whether it is measured or estimated, in the page's language, before its full label.
  const localLabel = c.local ? `${t('footprint.local')} (${describeBasis(c.local.basis, lang)}) — ${c.local.label}` : t('footprint.local');
  const localNote = c.local?.constantNote ?? null;
  // Each cloud estimate made far outside the model sizes its fit covers says so: in full beside its energy, briefly elsewhere.
  const sig2 = (x: number) => formatNumber(x, lang, { significant: 2 });
  const fitText = (model: string, f: FitRange) =>
    t(f.side === 'below' ? 'footprint.fitBelow' : 'footprint.fitAbove', {
      model,
      active: sig2(f.activeParamsB),
      factor: sig2(f.factor),
      low: formatNumber(f.fitLowB, lang),
      high: formatNumber(f.fitHighB, lang),
    });
  const fitNote = (m: FootprintComparison['cloud'][number]) => (m.fitRange ? fitText(m.model, m.fitRange) : null);
  const fitShort = (m: FootprintComparison['cloud'][number]) => (m.fitRange ? t('footprint.fitShort', { model: m.model }) : null);

  const energy: RangeRow[] = [
    ...(c.local ? [{ key: 'local', label: localLabel, kind: 'local' as const, low: c.local.wh, high: c.local.wh, text: formatWh(c.local.wh, lang), note: localNote }] : []),
    ...c.cloud.map((m) => ({
      key: `e-${m.key}`,
      label: m.label,
      kind: 'cloud' as const,
      low: m.energyWh.low,
      high: m.energyWh.high,
      text: range(m.energyWh.low, m.energyWh.high, 'wh'),
      note: fitNote(m),
    })),
    ...c.published
      .filter((p) => p.wh !== undefined)
      .map((p, i) => ({ key: `pe-${i}`, label: `${p.who}: ${p.claim}`, kind: 'published' as const, low: p.wh!, high: p.wh!, text: formatWh(p.wh, lang) })),
  ];
  const carbon: RangeRow[] = [
    ...(c.local ? [{ key: 'local', label: localLabel, kind: 'local' as const, low: c.local.gco2e, high: c.local.gco2e, text: formatGco2e(c.local.gco2e, lang), note: localNote }] : []),
    ...c.cloud.flatMap((m) => [
      { key: `cp-${m.key}`, label: t('footprint.cloudProviderGrid', { label: m.label }), kind: 'cloud' as const, low: m.gco2eProviderGrid.low, high: m.gco2eProviderGrid.high, text: range(m.gco2eProviderGrid.low, m.gco2eProviderGrid.high, 'gco2e'), note: fitShort(m) },
      { key: `cl-${m.key}`, label: t('footprint.cloudLocalGrid', { label: m.label }), kind: 'cloud' as const, low: m.gco2eLocalGrid.low, high: m.gco2eLocalGrid.high, text: range(m.gco2eLocalGrid.low, m.gco2eLocalGrid.high, 'gco2e'), note: fitShort(m) },
    ]),
    ...c.published
      .filter((p) => p.gco2e !== undefined)
      .map((p, i) => ({ key: `pc-${i}`, label: `${p.who}: ${p.claim}`, kind: 'published' as const, low: p.gco2e!, high: p.gco2e!, text: formatGco2e(p.gco2e, lang) })),
  ];
  const water: RangeRow[] = [
    ...c.cloud.map((m) => ({ key: `w-${m.key}`, label: m.label, kind: 'cloud' as const, low: m.waterMl.low, high: m.waterMl.high, text: range(m.waterMl.low, m.waterMl.high, 'ml'), note: fitShort(m) })),
    ...c.published
      .filter((p) => p.waterMl !== undefined)
      .map((p, i) => ({ key: `pw-${i}`, label: `${p.who}: ${p.claim}`, kind: 'published' as const, low: p.waterMl!, high: p.waterMl!, text: formatMl(p.waterMl, lang) })),
  ];

  return (
    <>
      <p className="muted">
        {t('footprint.grid', {
          name: c.country.name + (c.country.isDefault ? ` (${t('footprint.gridDefault')})` : ''),
          g: `${formatNumber(c.country.gPerKwh, lang)} ${unit('gPerKwh', lang)}`,
          source: c.country.source,
          year: c.country.year,
        })}
        {' · '}
        {t('footprint.method', { name: c.method.name, version: c.method.version })}
      </p>
      <RangeLegend local={t('footprint.legendLocal')} cloud={t('footprint.legendCloud')} published={t('footprint.legendPublished')} />
      <p className="muted">
        {t('footprint.unitNote', { answers: formatCount(answers, lang) })} {t('footprint.rangeNote')}
      </p>
      <div className="footprint-plots">
        <RangePlot title={`${t('footprint.energy')} (${unit('wh', lang)})`} rows={energy} lang={lang} unitLabel={unit('wh', lang)} testId="fp-energy" />
        <RangePlot title={`${t('footprint.carbon')} (${unit('gco2e', lang)})`} rows={carbon} lang={lang} unitLabel={unit('gco2e', lang)} testId="fp-carbon" />
        <RangePlot title={`${t('footprint.water')} (${unit('ml', lang)})`} rows={water} lang={lang} unitLabel={unit('ml', lang)} testId="fp-water" />
      </div>
      <p className="muted">
        {t('footprint.water')} — {t('footprint.local')}: <span className="not-measured">{t('footprint.waterLocal')}</span>
      </p>
      {c.published.length ? (
        <>
          <h2>{t('footprint.published')}</h2>
          <div className="table-wrap">
            <table data-testid="fp-published">
              <thead>
                <tr>
                  <th scope="col">{t('footprint.col.who')}</th>
                  <th scope="col">{t('footprint.col.claim')}</th>
                  <th scope="col">{t('footprint.col.figures')}</th>
                  <th scope="col">{t('footprint.col.boundary')}</th>
                  <th scope="col">{t('footprint.col.date')}</th>
                  <th scope="col">{t('footprint.col.source')}</th>
                </tr>
              </thead>
              <tbody>
                {c.published.map((p, i) => (
                  <tr key={i}>
                    <td>{p.who}</td>
                    <td>{p.claim}</td>
                    <td>
                      {[p.wh !== undefined ? formatWh(p.wh, lang) : null, p.gco2e !== undefined ? formatGco2e(p.gco2e, lang) : null, p.waterMl !== undefined ? formatMl(p.waterMl, lang) : null]
                        .filter(Boolean)
                        .join(' · ')}
                    </td>
                    <td>{p.boundary}</td>
                    <td>{p.date}</td>
                    <td>{/^https?:\/\//.test(p.source) ? <a href={p.source} rel="noreferrer">{p.source}</a> : p.source}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      ) : null}
    </>
  );
}
