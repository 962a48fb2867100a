// `npm run build:native` (and npm's postinstall): compiles wattbench's native generation loop for the installed
// node-llama-cpp. During an install a failure is one line and exit 0 — runs then use node-llama-cpp's loop and
// say so; `--strict` (npm run build:native) exits 1 instead.
import { buildGenerationLoop } from '../lib/engine/buildGenerationLoop';

const strict = process.argv.includes('--strict');
const result = buildGenerationLoop();
if (result.built) {
  process.stderr.write(`wattbench: native generation loop built in ${result.seconds.toFixed(1)} s (node-llama-cpp ${result.info.nodeLlamaCppVersion}, ${result.info.compiler})\n`);
} else {
  process.stderr.write(`wattbench: native generation loop not built: ${result.reason}; runs use node-llama-cpp's loop (slower generation on small models)\n`);
  if (strict) process.exitCode = 1;
}
