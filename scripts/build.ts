import { existsSync, readdirSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Plugin } from 'esbuild';

/** Compiles every service, the launcher and every command-line tool to one ESM file with a source map, under its package's dist/. */

const root = fileURLToPath(new URL('..', import.meta.url));

/** An entry point and the file it compiles to. */
interface Target {
  readonly entry: string;
  readonly outfile: string;
}

function targets(): Target[] {
  const found: Target[] = [];
  const add = (entry: string, outfile: string) => existsSync(join(root, entry)) && found.push({ entry, outfile });
  for (const group of ['services', 'infra']) {
    for (const name of readdirSync(join(root, group))) {
      const base = `${group}/${name}`;
      add(`${base}/src/main.ts`, `${base}/dist/main.js`);
      add(`${base}/src/cli.ts`, `${base}/dist/cli.js`);
      const cliDir = join(root, base, 'src/cli');
      if (existsSync(cliDir)) for (const file of readdirSync(cliDir).filter((f) => f.endsWith('.ts'))) add(`${base}/src/cli/${file}`, `${base}/dist/cli/${file.replace(/\.ts$/, '.js')}`);
    }
  }
  add('infra/launcher/src/start.ts', 'infra/launcher/dist/start.js');
  add('deploy/healthcheck.ts', 'deploy/dist/healthcheck.js');
  add('packages/runtime/src/telemetry/register.ts', 'packages/runtime/dist/telemetry-register.js');
  return found;
}

/** Workspace packages (@shop/*) are compiled in; every npm dependency stays an import resolved from node_modules. */
const externalDependencies: Plugin = {
  name: 'external-dependencies',
  setup(builder) {
    builder.onResolve({ filter: /^[^./]/ }, (args) => (args.path.startsWith('@shop/') ? undefined : { path: args.path, external: true }));
  },
};

/**
 * Keeps `import.meta.url` of every compiled-in module pointing at its source file's place (relative to the output),
 * so paths such as `new URL('../../migrations/', import.meta.url)` still find the service's migrations folder.
 * The entry point keeps the output's own URL, so it still recognises itself as the process's entry point.
 */
function sourceRelativeModuleUrls(entry: string, outfile: string): Plugin {
  return {
    name: 'source-relative-module-urls',
    setup(builder) {
      builder.onLoad({ filter: /\.ts$/ }, async (args) => {
        const { readFile } = await import('node:fs/promises');
        const source = await readFile(args.path, 'utf8');
        if (args.path === join(root, entry) || !source.includes('import.meta.url')) return { contents: source, loader: 'ts' };
        const fromOutput = relative(dirname(join(root, outfile)), args.path).split('\\').join('/');
        return { contents: source.replaceAll('import.meta.url', `new URL(${JSON.stringify(fromOutput)}, import.meta.url).href`), loader: 'ts' };
      });
    },
  };
}

const started = performance.now();
const all = targets();
await Promise.all(
  all.map(({ entry, outfile }) =>
    build({
      absWorkingDir: root,
      entryPoints: [entry],
      outfile,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node24',
      sourcemap: true,
      logLevel: 'warning',
      banner: { js: "import { createRequire as __shopCreateRequire } from 'node:module'; const require = __shopCreateRequire(import.meta.url);" },
      plugins: [externalDependencies, sourceRelativeModuleUrls(entry, outfile)],
    }),
  ),
);
console.log(`build: ${all.length} entry points compiled in ${Math.round(performance.now() - started)} ms`);
