'use client';
// The join command with this page's own address (known only in the browser: the server does not know which of
// its addresses the participant used). The token is never shown here: it is in the leader's join link only.
import { useEffect, useState, type ReactNode } from 'react';
import type { Lang } from '@/lib/i18n/lang';
import { translate } from '@/lib/i18n/translate';
import { WithCode } from '../ui';

export function JoinHint({ code, lang, fallback }: { code: string; lang: Lang; fallback: ReactNode }) {
  const [origin, setOrigin] = useState<string | null>(null);
  useEffect(() => setOrigin(window.location.origin), []);
  if (!origin) return <>{fallback}</>;
  return <WithCode text={translate(lang, 'workshop.joinHint', { url: `${origin}/${code}` })} />;
}
