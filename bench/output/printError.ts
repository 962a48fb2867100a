import pc from 'picocolors';

/** One line on stderr, prefixed so it stands out from progress output. */
export function printError(message: string): void {
  process.stderr.write(`${pc.red('error:')} ${message}\n`);
}

export function printWarning(message: string): void {
  process.stderr.write(`${pc.yellow('warning:')} ${message}\n`);
}
