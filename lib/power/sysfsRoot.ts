// Where sysfs lives: "/" on a real machine, a fixture tree in tests (WATTBENCH_SYSFS_ROOT).
import path from 'node:path';

/** The filesystem root under which `sys/class/...` is looked up: the option, else WATTBENCH_SYSFS_ROOT, else "/". */
export function resolveSysfsRoot(explicit?: string): string {
  return explicit ?? process.env.WATTBENCH_SYSFS_ROOT ?? '/';
}

/** `root` joined with an absolute sysfs path such as "/sys/class/powercap". */
export function sysfsPath(root: string, absolute: string): string {
  return path.join(root, absolute);
}
