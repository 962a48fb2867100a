// Why a monitor's requests were not counted, as data (a code and its values) so that each reader says it in its
// own language: the terminal and --json in English (stored beside it as `notCounted`), the pages in theirs.
import type { Lang } from '../i18n/lang';
import { translate, type MessageKey } from '../i18n/translate';

export const NOT_COUNTED_CODES = ['notServer', 'unknownServer', 'wholeMachine', 'slotsOff', 'slotsUnreadable', 'noCounter', 'pollsFailed', 'older'] as const;
export type NotCountedCode = (typeof NOT_COUNTED_CODES)[number];

export interface NotCountedReason {
  code: NotCountedCode;
  /** The message's values: who was watched, the ports, the server's answer (language-neutral text). */
  params: Record<string, string>;
}

export function describeNotCounted(reason: NotCountedReason, lang: Lang): string {
  return translate(lang, `monitor.notCounted.${reason.code}` as MessageKey, reason.params);
}

/** A stored reason's code, if it is one this version knows (else the stored English text is shown). */
export function knownReason(code: string | null | undefined, params: Record<string, string> | null | undefined): NotCountedReason | null {
  return code && (NOT_COUNTED_CODES as readonly string[]).includes(code) ? { code: code as NotCountedCode, params: params ?? {} } : null;
}
