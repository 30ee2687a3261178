import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

const SYSTEM_DIRS = ['/usr/local/sbin', '/usr/local/bin', '/usr/sbin', '/usr/bin', '/sbin', '/bin'];

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Absolute path of a system executable, searching PATH and the sbin folders a non-root PATH lacks. */
export function findExecutable(name: string, debianPackage: string): string {
  const dirs = [...(process.env.PATH ?? '').split(delimiter).filter(Boolean), ...SYSTEM_DIRS];
  const found = dirs.map((dir) => join(dir, name)).find(isExecutable);
  if (!found) throw new Error(`${name} is not installed: run scripts/setup.sh or apt-get install ${debianPackage}`);
  return found;
}
