// `wattbench models`: the GGUF models already on this machine (./models, WATTBENCH_MODELS_DIR, node-llama-cpp,
// Ollama, LM Studio, the Hugging Face cache), with their facts and whether they fit.
import type { Command } from 'commander';
import { discoverModels } from '../../lib/model/discoverModels';
import { memoryBudget } from '../../lib/model/memoryBudget';
import { detectHardware } from '../../lib/hardware/detectHardware';
import { jsonOption } from '../options/commonOptions';
import { formatModelList } from '../output/formatModelList';

export function registerModelsCommand(program: Command): void {
  program
    .command('models')
    .description('list the GGUF models on this machine (./models, node-llama-cpp, Ollama, LM Studio, Hugging Face cache) and whether each fits')
    .addOption(jsonOption('a JSON array of the models found'))
    .action(async (opts: { json?: boolean }) => {
      const hardware = await detectHardware();
      const discovery = await discoverModels(memoryBudget(hardware.gpus));
      process.stdout.write(opts.json ? `${JSON.stringify(discovery.models)}\n` : `${formatModelList(discovery)}\n`);
    });
}
