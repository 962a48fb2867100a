import type { Command } from 'commander';

export function registerListCommand(program: Command): void {
  program.command('list').description('(not yet implemented)');
}
