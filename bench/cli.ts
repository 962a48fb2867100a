// The `wattbench` command line: parses arguments and dispatches to one module per command.
import { Command, CommanderError } from 'commander';
import { WattbenchError, ExitCode } from '../lib/errors/WattbenchError';
import { printError, printLlamaLine } from './output/printError';
import { setLlamaLog } from '../lib/runner/llamaLog';

type Register = (program: Command) => void;

// One loader per command, in the order of the help: only the command being run is imported, so that `list`,
// `show` or `footprint` do not pay for loading node-llama-cpp (about 2 s of CPU under tsx), which only run,
// demo and setup use.
const COMMANDS: Record<string, () => Promise<Register>> = {
  run: async () => (await import('./commands/run')).registerRunCommand,
  list: async () => (await import('./commands/list')).registerListCommand,
  show: async () => (await import('./commands/show')).registerShowCommand,
  export: async () => (await import('./commands/export')).registerExportCommand,
  footprint: async () => (await import('./commands/footprint')).registerFootprintCommand,
  models: async () => (await import('./commands/models')).registerModelsCommand,
  power: async () => (await import('./commands/power')).registerPowerCommand,
  monitor: async () => (await import('./commands/monitor')).registerMonitorCommand,
  serve: async () => (await import('./commands/serve')).registerServeCommand,
  demo: async () => (await import('./commands/demo')).registerDemoCommand,
  setup: async () => (await import('./commands/setup')).registerSetupCommand,
  forge: async () => (await import('./commands/forge')).registerForgeCommand,
  probe: async () => (await import('./commands/probe')).registerProbeCommand,
  advise: async () => (await import('./commands/advise')).registerAdviseCommand,
  workshop: async () => (await import('./commands/workshop')).registerWorkshopCommand,
  join: async () => (await import('./commands/join')).registerJoinCommand,
  share: async () => (await import('./commands/share')).registerShareCommand,
};

/** The program with every command, or with `only` when it names one (anything else, help included: all). */
export async function buildProgram(only?: string): Promise<Command> {
  const program = new Command('wattbench')
    .description('Benchmark local language models, measure their energy, compare with the cloud.')
    .exitOverride()
    .showHelpAfterError(false)
    .configureOutput({ outputError: () => {} });
  const names = only !== undefined && Object.hasOwn(COMMANDS, only) ? [only] : Object.keys(COMMANDS);
  for (const name of names) (await COMMANDS[name]())(program);
  return program;
}

/** Runs the CLI and resolves to its exit code. */
export async function main(argv: string[]): Promise<number> {
  const program = await buildProgram(argv[2]);
  // llama.cpp's own error lines only with WATTBENCH_DEBUG: a failure names llama.cpp's reason in our one line.
  if (process.env.WATTBENCH_DEBUG) setLlamaLog(printLlamaLine);
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
