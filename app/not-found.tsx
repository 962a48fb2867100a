import { getRequestLang } from '@/lib/i18n/requestLang';
import { translate } from '@/lib/i18n/translate';

export default async function NotFound() {
  const lang = await getRequestLang();
  return (
    <div className="empty-state">
      <h1>{translate(lang, 'notFound.title')}</h1>
      <p>{translate(lang, 'notFound.body')}</p>
      <p>
        <a href="/">{translate(lang, 'common.backToRuns')}</a>
      </p>
    </div>
  );
}
