// Control characters in printed names and texts: made visible, never passed to the terminal.
import { describe, expect, it } from 'vitest';
import { escapeTerminal } from '../../bench/output/escapeTerminal';
import { formatTable } from '../../bench/output/formatTable';

const ESC = '\u001b';
const RLO = '\u202e';

describe('escapeTerminal', () => {
  it('shows ESC sequences (colour, cursor, window title, OSC 8 link) as text', () => {
    const name = `llama${ESC}[31mRED${ESC}[0m${ESC}[2K${ESC}]0;pwned\u0007${ESC}]8;;http://x\u0007link`;
    const out = escapeTerminal(name);
    expect(out).not.toMatch(/[\u0000-\u001f\u007f]/);
    expect(out).toBe('llama\\e[31mRED\\e[0m\\e[2K\\e]0;pwned\\x07\\e]8;;http://x\\x07link');
  });

  it('shows a carriage return, a line feed, C1 controls and DEL', () => {
    expect(escapeTerminal('ok\rFAKE')).toBe('ok\\rFAKE');
    expect(escapeTerminal('a\nb\tc')).toBe('a\\nb\\tc');
    expect(escapeTerminal('x\u009b31my\u007f')).toBe('x\\x9b31my\\x7f');
  });

  it('shows bidi overrides, isolates and marks, which could make a name read backwards', () => {
    expect(escapeTerminal(`model${RLO}fuggtxt.gguf`)).toBe('model\\u202efuggtxt.gguf');
    expect(escapeTerminal('a\u2066b\u2069c\u200fd\u061ce\u2028f')).toBe('a\\u2066b\\u2069c\\u200fd\\u061ce\\u2028f');
  });

  it('keeps line feeds and tabs of multi-line texts, but not \\r or ESC', () => {
    expect(escapeTerminal(`line 1\n\tline 2\r${ESC}[1A`, { multiline: true })).toBe('line 1\n\tline 2\\r\\e[1A');
  });

  it('leaves ordinary text alone, accents, CJK and emoji included', () => {
    const text = 'Qwen2.5 0.5B Instruct · générer 写一个故事 🔋 (Q4_K_M) — 1,482 ± 31 tok/s';
    expect(escapeTerminal(text)).toBe(text);
  });

  it('applies to every cell of a terminal table, so widths count what is printed', () => {
    const table = formatTable([{ name: `evil${ESC}[2J` }, { name: 'ok' }], [{ header: 'MODEL', value: (r: { name: string }) => r.name }]);
    expect(table).not.toContain(ESC);
    expect(table.split('\n')).toEqual(['MODEL', 'evil\\e[2J', 'ok']);
  });
});
