import { dirname, join, relative } from 'node:path';
import { build, type Plugin } from 'esbuild';
import { buildTargets, repositoryRoot } from './build-targets.js';

/** Compiles every service, the launcher and every command-line tool to one ESM file with a source map, under its package's dist/. */

const root = repositoryRoot;

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
const all = buildTargets();
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
