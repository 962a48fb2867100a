import os from 'node:os';
import { defineConfig } from 'vitest/config';

// Files whose assertions depend on having the machine to themselves: energy read from fixture counters written by
// another process at a known rate (1–3 % tolerances), the estimate's attribution beside busy processes, and the
// browser tests (a live page's polls within seconds; next build uses every CPU). They run one at a time, after
// everything else. Real-model runs elsewhere assert what was recorded, never how fast (the thread calibration
// included: its choice is checked against its own measurements), so they may share the machine.
const SERIAL = [
  'tests/cli/runEnergy.test.ts',
  'tests/cli/runEnergyWindows.test.ts',
  'tests/power/raplSource.test.ts',
  'tests/power/nvidiaSource.test.ts',
  // The probe's held-out prediction is a timing: it needs the CPUs to itself.
  'tests/advise/probe.test.ts',
  'tests/e2e/**/*.test.ts',
];

export default defineConfig({
  test: {
    // Real models, a real browser and real CLI processes on a 2-core machine: generous timeouts.
    testTimeout: 120_000,
    hookTimeout: 300_000,
    pool: 'forks',
    // Plain text everywhere, as the spawned CLIs get (tests/helpers/runCli): picocolors decides once per process,
    // and under CI=true it would colour what the CLI's main prints in-process.
    env: { NO_COLOR: '1' },
    projects: [
      {
        // Everything else: pure functions, real SQLite files, and CLI processes checked for their output and exit
        // code, not their speed. Most of their time is spent waiting for a child process, so as many files at
        // once as there are CPUs; and one worker process reused from file to file (no test here changes global
        // state without restoring it), which spares each file loading its imports again: about 20 s of CPU.
        extends: true,
        test: {
          name: 'parallel',
          include: ['tests/**/*.test.ts'],
          exclude: SERIAL,
          maxWorkers: Math.max(2, os.availableParallelism()),
          isolate: false,
          sequence: { groupOrder: 0 },
        },
      },
      {
        extends: true,
        test: { name: 'serial', include: SERIAL, fileParallelism: false, sequence: { groupOrder: 1 } },
      },
    ],
  },
});
