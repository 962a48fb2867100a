'use client';
// The projector's join link and QR code, read from this page's fragment (see lib/workshop/links.ts): the page
// as served holds no token, so only the leader's machine, which opened the link `wattbench workshop` printed,
// shows it. The QR code is drawn as SVG (uqr), large enough to scan from the back of a room.
import { useEffect, useState } from 'react';
import { renderSVG } from 'uqr';
import type { Lang } from '@/lib/i18n/lang';
import { translate } from '@/lib/i18n/translate';
import { joinLinkFromFragment } from '@/lib/workshop/links';
import { WithCode } from '../ui';

export function ProjectorJoin({ code, lang }: { code: string; lang: Lang }) {
  const [join, setJoin] = useState<string | null | undefined>(undefined);
  useEffect(() => {
    const read = () => setJoin(joinLinkFromFragment(window.location.hash, code));
    read();
    window.addEventListener('hashchange', read);
    return () => window.removeEventListener('hashchange', read);
  }, [code]);
  if (join === undefined) return null;
  if (join === null) {
    return (
      <p className="notice warn" data-testid="projector-no-token">
        <WithCode text={translate(lang, 'projector.noToken')} />
      </p>
    );
  }
  return (
    <div className="projector-join" data-testid="projector-join">
      <div className="projector-qr" role="img" aria-label={join} dangerouslySetInnerHTML={{ __html: renderSVG(join, { border: 2 }) }} />
      <div>
        <p>{translate(lang, 'projector.scan')}</p>
        <p className="projector-command">
          <code data-testid="projector-command">npx wattbench join {join}</code>
        </p>
      </div>
    </div>
  );
}
