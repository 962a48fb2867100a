import type { Command } from 'commander';

export function registerShowCommand(program: Command): void {
  program.command('show').description('(not yet implemented)');
}
