import { Fragment } from 'react';
import type { Lang } from '@/lib/i18n/lang';
import { translate, type MessageKey } from '@/lib/i18n/translate';
import type { PromptStats } from '@/lib/queries/getRunDetail';
import { formatMeanSd } from '@/lib/format/units';
import { formatNumber } from '@/lib/format/numbers';

/** Per prompt, mean ± σ over repetitions; the first output shown as text (React escapes it: never HTML). */
export function PromptTable({ prompts, lang }: { prompts: PromptStats[]; lang: Lang }) {
  const t = (k: MessageKey) => translate(lang, k);
  if (!prompts.length) return <p className="muted">{t('detail.noResults')}</p>;
  const tokens = (s: PromptStats['promptTokens']) => (s ? formatNumber(s.mean, lang, { decimals: s.sd > 0 ? 1 : 0 }) : '–');
  return (
    <div className="table-wrap">
      <table data-testid="prompt-table">
        <thead>
          <tr>
            <th scope="col">{t('detail.col.prompt')}</th>
            <th scope="col" className="num">{t('detail.col.n')}</th>
            <th scope="col" className="num">{t('detail.col.promptTokens')}</th>
            <th scope="col" className="num">{t('detail.col.outputTokens')}</th>
            <th scope="col" className="num">{t('detail.col.ttft')}</th>
            <th scope="col" className="num">{t('detail.col.ppTps')}</th>
            <th scope="col" className="num">{t('detail.col.genTps')}</th>
            <th scope="col" className="num">{t('detail.col.e2e')}</th>
            <th scope="col" className="num">{t('detail.col.energy')}</th>
            <th scope="col">{t('detail.col.stop')}</th>
          </tr>
        </thead>
        <tbody>
          {prompts.map((p) => (
            <Fragment key={p.promptIndex}>
              <tr className={p.output ? 'has-output' : undefined}>
                <td className="prompt-cell">
                  <strong>{p.title ?? p.promptId}</strong>
                  {p.title ? <div className="muted mono">{p.promptId}</div> : null}
                </td>
                <td className="num">{p.n}</td>
                <td className="num">{tokens(p.promptTokens)}</td>
                <td className="num">{tokens(p.outputTokens)}</td>
                <td className="num">{formatMeanSd(p.ttftMs, 'ms', lang)}</td>
                <td className="num">{formatMeanSd(p.promptTokensPerSec, 'tokPerSec', lang)}</td>
                <td className="num">{formatMeanSd(p.genTokensPerSec, 'tokPerSec', lang)}</td>
                <td className="num">{formatMeanSd(p.e2eMs, 'ms', lang)}</td>
                <td className="num">
                  {p.energyJ ? formatMeanSd(p.energyJ, 'joules', lang) : <span className="not-measured">{translate(lang, 'common.notMeasured')}</span>}
                </td>
                <td>
                  {Object.entries(p.stopReasons)
                    .map(([reason, n]) => `${reason} ×${n}`)
                    .join(', ')}
                </td>
              </tr>
              {p.output ? (
                <tr className="output-row">
                  <td colSpan={10}>
                    <details>
                      <summary>{t('detail.output')}</summary>
                      <pre className="output" data-testid="prompt-output">
                        {p.output}
                        {p.outputTruncated ? '…' : ''}
                      </pre>
                    </details>
                  </td>
                </tr>
              ) : null}
            </Fragment>
          ))}
        </tbody>
      </table>
    </div>
  );
}
