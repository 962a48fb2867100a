import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import si from 'systeminformation';
import { describe, it, expect } from 'vitest';
import { detectHardware, defaultThreads } from '../../lib/hardware/detectHardware';
import { makeTempDir } from '../helpers/paths';

function fixtureRoot(cpuinfo: string, vramBytes = 25753026560): string {
  const root = makeTempDir('hw');
  fs.mkdirSync(path.join(root, 'proc'), { recursive: true });
  fs.writeFileSync(path.join(root, 'proc', 'cpuinfo'), cpuinfo);
  fs.mkdirSync(path.join(root, 'etc'));
  fs.writeFileSync(path.join(root, 'etc', 'os-release'), 'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nNAME="Debian GNU/Linux"\n');
  const card = path.join(root, 'sys', 'class', 'drm', 'card0', 'device');
  fs.mkdirSync(card, { recursive: true });
  fs.writeFileSync(path.join(card, 'vendor'), '0x1002\n');
  fs.writeFileSync(path.join(card, 'device'), '0x744c\n');
  fs.writeFileSync(path.join(card, 'mem_info_vram_total'), `${vramBytes}\n`);
  return root;
}

const block = (processor: number, core: number) =>
  `processor\t: ${processor}\nvendor_id\t: GenuineIntel\nmodel name\t: 13th Gen Intel(R) Core(TM) i7-1360P\nphysical id\t: 0\nsiblings\t: 16\ncore id\t\t: ${core}\ncpu cores\t: 12\n`;
const fourOnTwo = [block(0, 0), block(1, 0), block(2, 1), block(3, 1)].join('\n');

/** This machine's /proc/cpuinfo, read here independently of the code under test; null off Linux. */
function realCpuinfo(): { model: string; processors: number; cores: number } | null {
  let text: string;
  try {
    text = fs.readFileSync('/proc/cpuinfo', 'utf8');
  } catch {
    return null;
  }
  const lines = text.split('\n').map((l) => l.split(':').map((x) => x.trim()));
  const values = (key: string) => lines.filter(([k]) => k === key).map(([, v]) => v);
  const physical = values('physical id');
  const coreIds = values('core id');
  const pairs = new Set(coreIds.map((c, i) => `${physical[i]}/${c}`));
  return { model: values('model name')[0], processors: values('processor').length, cores: pairs.size || Number(values('cpu cores')[0]) };
}

describe('detectHardware', () => {
  it('counts physical cores from (physical id, core id) pairs, names the OS and the GPU', async () => {
    // 4 logical CPUs on 2 cores (hyper-threading).
    const hw = await detectHardware({ root: fixtureRoot(fourOnTwo) });
    expect(hw.cpuModel).toBe('13th Gen Intel(R) Core(TM) i7-1360P');
    expect(hw.cpuCores).toBe(2);
    expect(hw.os).toMatch(/^Debian GNU\/Linux 12 \(bookworm\)/);
    expect(hw.gpus).toEqual([{ name: 'AMD GPU 0x744c (card0)', vendor: 'AMD', memoryBytes: 25753026560 }]);
    expect(hw.fingerprint).toMatch(/^[0-9a-f]{32}$/);
    expect(defaultThreads(hw)).toBe(1);
  });

  it('reads this machine as independent readings do', async () => {
    const hw = await detectHardware();
    expect(hw.cpuThreads).toBe(os.cpus().length);
    expect(hw.memoryBytes).toBe(os.totalmem());
    expect(hw.arch).toBe(os.arch());
    expect(hw.cpuCores).toBeGreaterThanOrEqual(1);
    expect(hw.cpuCores).toBeLessThanOrEqual(hw.cpuThreads);
    const cpuinfo = realCpuinfo();
    if (cpuinfo) {
      // Some ARM kernels give no "model name": Node's string stands in there.
      if (cpuinfo.model) expect(hw.cpuModel).toBe(cpuinfo.model);
      expect(hw.cpuThreads).toBe(cpuinfo.processors);
      expect(hw.cpuCores).toBe(cpuinfo.cores);
    }
  });

  it('keys the fingerprint on the facts: the same facts give the same one, a changed fact another', async () => {
    const base = await detectHardware({ root: fixtureRoot(fourOnTwo) });
    expect((await detectHardware({ root: fixtureRoot(fourOnTwo) })).fingerprint).toBe(base.fingerprint);
    // One core fewer (4 logical CPUs on 1 core), a GPU with other VRAM, another CPU model.
    const oneCore = await detectHardware({ root: fixtureRoot([block(0, 0), block(1, 0), block(2, 0), block(3, 0)].join('\n')) });
    const otherVram = await detectHardware({ root: fixtureRoot(fourOnTwo, 17163091968) });
    const otherModel = await detectHardware({ root: fixtureRoot(fourOnTwo.replaceAll('i7-1360P', 'i5-1340P')) });
    const prints = new Set([base, oneCore, otherVram, otherModel].map((h) => h.fingerprint));
    expect(prints.size).toBe(4);
    expect(defaultThreads({ cpuCores: 1 })).toBe(1);
    expect(defaultThreads({ cpuCores: 8 })).toBe(7);
  });

  it('asks systeminformation what an empty proc root leaves out (macOS, Windows): physical cores, GPUs, OS', async () => {
    // A deadline long enough for a busy machine: what is checked is what systeminformation answers, not how fast.
    const hw = await detectHardware({ root: makeTempDir('noproc'), systemInformationTimeoutMs: 60_000 });
    const [cpu, graphics, osInfo] = await Promise.all([si.cpu(), si.graphics(), si.osInfo()]);
    expect(hw.cpuCores).toBe(cpu.physicalCores);
    expect(hw.cpuThreads).toBe(os.cpus().length);
    expect(hw.cpuModel).toBe(os.cpus()[0].model.trim());
    expect(hw.gpus.map((g) => g.name)).toEqual(graphics.controllers.filter((c) => c.model || c.name).map((c) => (c.name || c.model).trim()));
    expect(hw.os.startsWith(`${osInfo.distro} ${osInfo.release}`)).toBe(true);
    const cpuinfo = realCpuinfo();
    if (cpuinfo) expect(hw.cpuCores).toBe(cpuinfo.cores);
  });

  it('without systeminformation, falls back to logical CPUs and the kernel\'s name rather than failing', async () => {
    const hw = await detectHardware({ root: makeTempDir('noproc'), systemInformationTimeoutMs: 0 });
    expect(hw.cpuCores).toBe(os.cpus().length);
    expect(hw.os).toBe(`${os.type()} (${os.type()} ${os.release()})`);
    expect(hw.fingerprint).toMatch(/^[0-9a-f]{32}$/);
  });

  it('survives the tools systeminformation runs being missing (no PATH)', async () => {
    const saved = process.env.PATH;
    process.env.PATH = '';
    try {
      const hw = await detectHardware({ root: makeTempDir('noproc') });
      expect(hw.cpuCores).toBeGreaterThanOrEqual(1);
      expect(hw.cpuCores).toBeLessThanOrEqual(hw.cpuThreads);
      expect(hw.os).not.toMatch(/unknown/);
    } finally {
      process.env.PATH = saved;
    }
  });
});
