import pc from 'picocolors';
import { escapeTerminal } from './escapeTerminal';

/** One line on stderr, prefixed so it stands out from progress output; the file names and texts a message quotes are escaped. */
export function printError(message: string): void {
  process.stderr.write(`${pc.red('error:')} ${escapeTerminal(message, { multiline: true })}\n`);
}

export function printWarning(message: string): void {
  process.stderr.write(`${pc.yellow('warning:')} ${escapeTerminal(message, { multiline: true })}\n`);
}

/** A line llama.cpp logged as an error (lib/runner/loadLlama hands them over: setLlamaLog). */
export function printLlamaLine(line: string): void {
  process.stderr.write(`${escapeTerminal(line, { multiline: true })}\n`);
}
