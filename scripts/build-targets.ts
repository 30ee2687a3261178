import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root, which every entry and output path is relative to (the image's working directory). */
export const repositoryRoot = fileURLToPath(new URL('..', import.meta.url));

/** Where the build records, for each output, the npm modules it imports at run time (relative to the repository root). */
export const BUILD_IMPORTS_FILE = '.local/build-imports.json';

/** An npm module an output imports: by an ES import (static or dynamic) or by require(). */
export interface ExternalImport {
  readonly path: string;
  readonly kind: 'import' | 'require';
}

/** An entry point and the file it compiles to, both relative to the repository root. */
export interface BuildTarget {
  readonly entry: string;
  readonly outfile: string;
  /** Compiles its npm dependencies in too (but those of bundled-dependencies.ts), so the process loads a few files instead of hundreds. */
  readonly bundlesDependencies: boolean;
  /** Loading it starts nothing (a service's main checks isEntryPoint; the preload does nothing without OTEL_* variables), so the compile-cache warm-up loads it too. */
  readonly importable: boolean;
}

/**
 * What `npm run build` compiles: each service's and tool's src/main.ts, src/cli.ts and src/cli/*.ts to the same name
 * under its dist/, the launcher, the compose health check and the runtime's telemetry preload. The services and the
 * preload, which every service process loads, compile their npm dependencies in; loading one of them starts nothing.
 */
export function buildTargets(root = repositoryRoot): BuildTarget[] {
  const found: BuildTarget[] = [];
  const add = (entry: string, outfile: string, bundlesDependencies = false) => existsSync(join(root, entry)) && found.push({ entry, outfile, bundlesDependencies, importable: bundlesDependencies });
  for (const group of ['services', 'infra'].filter((folder) => existsSync(join(root, folder)))) {
    for (const name of readdirSync(join(root, group))) {
      const base = `${group}/${name}`;
      add(`${base}/src/main.ts`, `${base}/dist/main.js`, group === 'services');
      add(`${base}/src/cli.ts`, `${base}/dist/cli.js`);
      const cliDir = join(root, base, 'src/cli');
      if (existsSync(cliDir)) for (const file of readdirSync(cliDir).filter((f) => f.endsWith('.ts'))) add(`${base}/src/cli/${file}`, `${base}/dist/cli/${file.replace(/\.ts$/, '.js')}`);
    }
  }
  add('infra/launcher/src/start.ts', 'infra/launcher/dist/start.js');
  add('deploy/healthcheck.ts', 'deploy/dist/healthcheck.js');
  add('packages/runtime/src/telemetry/register.ts', 'packages/runtime/dist/telemetry-register.js', true);
  return found;
}

/** The files the build writes (source maps aside), relative to the repository root. */
export function buildOutputs(root = repositoryRoot): Set<string> {
  return new Set(buildTargets(root).map((target) => target.outfile));
}
