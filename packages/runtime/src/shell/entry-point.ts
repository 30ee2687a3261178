import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Whether the module at this URL is the process's entry point (`node main.js`), not imported by a test or a launcher. */
export function isEntryPoint(moduleUrl: string): boolean {
  const entry = process.argv[1];
  if (!entry) return false;
  try {
    return realpathSync(entry) === realpathSync(fileURLToPath(moduleUrl));
  } catch {
    return false;
  }
}
