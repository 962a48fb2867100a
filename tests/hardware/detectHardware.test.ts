import fs from 'node:fs';
import path from 'node:path';
import { describe, it, expect } from 'vitest';
import { detectHardware, defaultThreads } from '../../lib/hardware/detectHardware';
import { makeTempDir } from '../helpers/paths';

function fixtureRoot(cpuinfo: string): string {
  const root = makeTempDir('hw');
  fs.mkdirSync(path.join(root, 'proc'), { recursive: true });
  fs.writeFileSync(path.join(root, 'proc', 'cpuinfo'), cpuinfo);
  fs.mkdirSync(path.join(root, 'etc'));
  fs.writeFileSync(path.join(root, 'etc', 'os-release'), 'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nNAME="Debian GNU/Linux"\n');
  const card = path.join(root, 'sys', 'class', 'drm', 'card0', 'device');
  fs.mkdirSync(card, { recursive: true });
  fs.writeFileSync(path.join(card, 'vendor'), '0x1002\n');
  fs.writeFileSync(path.join(card, 'device'), '0x744c\n');
  fs.writeFileSync(path.join(card, 'mem_info_vram_total'), '25753026560\n');
  return root;
}

const block = (processor: number, core: number) =>
  `processor\t: ${processor}\nvendor_id\t: GenuineIntel\nmodel name\t: 13th Gen Intel(R) Core(TM) i7-1360P\nphysical id\t: 0\nsiblings\t: 16\ncore id\t\t: ${core}\ncpu cores\t: 12\n`;

describe('detectHardware', () => {
  it('counts physical cores from (physical id, core id) pairs, names the OS and the GPU', () => {
    // 4 logical CPUs on 2 cores (hyper-threading).
    const hw = detectHardware({ root: fixtureRoot([block(0, 0), block(1, 0), block(2, 1), block(3, 1)].join('\n')) });
    expect(hw.cpuModel).toBe('13th Gen Intel(R) Core(TM) i7-1360P');
    expect(hw.cpuCores).toBe(2);
    expect(hw.os).toMatch(/^Debian GNU\/Linux 12 \(bookworm\)/);
    expect(hw.gpus).toEqual([{ name: 'AMD GPU 0x744c (card0)', vendor: 'AMD', memoryBytes: 25753026560 }]);
    expect(hw.fingerprint).toMatch(/^[0-9a-f]{32}$/);
    expect(defaultThreads(hw)).toBe(1);
  });

  it('is stable for the same machine and never defaults to fewer than one thread', () => {
    expect(detectHardware().fingerprint).toBe(detectHardware().fingerprint);
    expect(defaultThreads({ cpuCores: 1 })).toBe(1);
    expect(defaultThreads({ cpuCores: 8 })).toBe(7);
  });
});
