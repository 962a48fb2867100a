// The `wattbench` command line: parses arguments and dispatches to one module per command.
import { Command, CommanderError } from 'commander';
import { WattbenchError, ExitCode } from '../lib/errors/WattbenchError';
import { printError, printLlamaLine } from './output/printError';
import { setLlamaLog } from '../lib/runner/loadLlama';
import { registerRunCommand } from './commands/run';
import { registerListCommand } from './commands/list';
import { registerShowCommand } from './commands/show';
import { registerExportCommand } from './commands/export';
import { registerFootprintCommand } from './commands/footprint';
import { registerPowerCommand } from './commands/power';
import { registerServeCommand } from './commands/serve';
import { registerDemoCommand } from './commands/demo';
import { registerSetupCommand } from './commands/setup';

export function buildProgram(): Command {
  const program = new Command('wattbench')
    .description('Benchmark local language models, measure their energy, compare with the cloud.')
    .exitOverride()
    .showHelpAfterError(false)
    .configureOutput({ outputError: () => {} });
  registerRunCommand(program);
  registerListCommand(program);
  registerShowCommand(program);
  registerExportCommand(program);
  registerFootprintCommand(program);
  registerPowerCommand(program);
  registerServeCommand(program);
  registerDemoCommand(program);
  registerSetupCommand(program);
  return program;
}

/** Runs the CLI and resolves to its exit code. */
export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  setLlamaLog(printLlamaLine);
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : ExitCode.ok;
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.exitCode === 0) return ExitCode.ok;
      printError(`${err.message.replace(/^error: /, '')}; see wattbench --help`);
      return ExitCode.badInput;
    }
    if (err instanceof WattbenchError) {
      printError(err.message);
      return err.exitCode;
    }
    printError(`unexpected failure: ${(err as Error)?.stack ?? String(err)}`);
    return ExitCode.runFailed;
  }
}
