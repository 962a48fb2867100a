// The plain-language explanation of the workshop's figures, in English and French side by side (a projector
// serves a mixed room), whatever the page's language.
import { translate, type MessageKey } from '@/lib/i18n/translate';
import type { Lang } from '@/lib/i18n/lang';

const KEYS: MessageKey[] = ['workshop.explain.speed', 'workshop.explain.energy', 'workshop.explain.correct', 'workshop.explain.labels'];

export function WorkshopExplanation() {
  const column = (lang: Lang) => (
    <div lang={lang} key={lang}>
      <h3>{translate(lang, 'workshop.explain.title')}</h3>
      <ul>
        {KEYS.map((k) => (
          <li key={k}>{translate(lang, k)}</li>
        ))}
      </ul>
    </div>
  );
  return (
    <section className="workshop-explain" data-testid="workshop-explain">
      {column('en')}
      {column('fr')}
    </section>
  );
}
