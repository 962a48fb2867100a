// Looks up a string in the page's language and fills its {placeholders}.
import type { Lang } from './lang';
import { MESSAGES, type MessageKey } from './messages';

export type TranslateVars = Record<string, string | number>;

export function translate(lang: Lang, key: MessageKey, vars?: TranslateVars): string {
  const template = MESSAGES[lang][key];
  if (!vars) return template;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in vars ? String(vars[name]) : whole));
}

/** A translator bound to one language: `const t = translator('fr'); t('nav.runs')`. */
export function translator(lang: Lang): (key: MessageKey, vars?: TranslateVars) => string {
  return (key, vars) => translate(lang, key, vars);
}

export type T = ReturnType<typeof translator>;
export type { MessageKey };
