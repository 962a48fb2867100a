// Text that comes from files or users (model names from GGUF metadata, suite prompts, file names, recorded
// errors) is printed with its control characters made visible: an ESC sequence in a model name could
// otherwise recolour, move the cursor, retitle the window or hide a line; a \r could overwrite the line it is
// on; a bidi override could make a name read backwards.

// C0 controls and DEL, C1 controls, and the Unicode format characters that reorder or hide text: the bidi
// embeddings, overrides and isolates, the LRM/RLM/ALM marks, line and paragraph separators.
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t', '\u001b': '\\e' };

export interface EscapeOptions {
  /** Keep line feeds and tabs as they are (multi-line texts: suite prompts, error details). */
  multiline?: boolean;
}

function visible(ch: string): string {
  const named = NAMED[ch];
  if (named) return named;
  const code = ch.charCodeAt(0);
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/** `text` with every terminal control or text-reordering character shown as an escape (`\e`, `\r`, `\u202e`). */
export function escapeTerminal(text: string, options: EscapeOptions = {}): string {
  return text.replace(UNSAFE, (ch) => (options.multiline && (ch === '\n' || ch === '\t') ? ch : visible(ch)));
}
