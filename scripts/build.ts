import { mkdir, writeFile } from 'node:fs/promises';
import { isBuiltin } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { build, type Metafile, type Plugin } from 'esbuild';
import { warmCompileCacheAndReport } from './warm-compile-cache.js';
import { staysExternal } from './bundled-dependencies.js';
import { leftOutModules } from './left-out-modules.js';
import { keepProjectSourcesMapped } from './source-map-scope.js';
import { BUILD_IMPORTS_FILE, buildTargets, repositoryRoot, type ExternalImport } from './build-targets.js';

/**
 * Compiles every service, the launcher and every command-line tool to one ESM file with a source map, under its
 * package's dist/. With --warm-compile-cache (setup passes it; the image build does not), then fills the compile
 * cache npm start's processes load from.
 */

const root = repositoryRoot;

/**
 * Workspace packages (@shop/*) are compiled in; npm dependencies too where the target says so, but those that must
 * stay modules of their own; every other one stays an import resolved from node_modules.
 */
function externalDependencies(bundlesDependencies: boolean): Plugin {
  return {
    name: 'external-dependencies',
    setup(builder) {
      builder.onResolve({ filter: /^[^./]/ }, (args) => {
        if (args.path.startsWith('@shop/') || (bundlesDependencies && !isBuiltin(args.path) && !staysExternal(args.path))) return undefined;
        return { path: args.path, external: true };
      });
    },
  };
}

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

/** The npm modules an output imports at run time (statically, dynamically or by require), with how it imports them. */
function externalImports(metafile: Metafile, outfile: string): ExternalImport[] {
  const imports = (metafile.outputs[outfile]?.imports ?? []).filter((entry) => entry.external && !isBuiltin(entry.path));
  const unique = new Map(imports.map((entry) => [`${entry.kind}:${entry.path}`, { path: entry.path, kind: entry.kind === 'require-call' ? ('require' as const) : ('import' as const) }]));
  return [...unique.values()];
}

const started = performance.now();
const all = buildTargets();
const results = await Promise.all(
  all.map(({ entry, outfile, bundlesDependencies }) =>
    build({
      absWorkingDir: root,
      entryPoints: [entry],
      outfile,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node24',
      sourcemap: true,
      metafile: true,
      logLevel: 'warning',
      banner: { js: "import { createRequire as __shopCreateRequire } from 'node:module'; const require = __shopCreateRequire(import.meta.url);" },
      plugins: [externalDependencies(bundlesDependencies), leftOutModules(), sourceRelativeModuleUrls(entry, outfile)],
    }),
  ),
);
await Promise.all(all.filter((target) => target.bundlesDependencies).map(({ outfile }) => keepProjectSourcesMapped(join(root, `${outfile}.map`))));
const imports = Object.fromEntries(all.map(({ outfile }, index) => [outfile, externalImports(results[index]!.metafile, outfile)]));
await mkdir(dirname(join(root, BUILD_IMPORTS_FILE)), { recursive: true });
await writeFile(join(root, BUILD_IMPORTS_FILE), `${JSON.stringify(imports, null, 1)}\n`);
console.log(`build: ${all.length} entry points compiled in ${Math.round(performance.now() - started)} ms`);
if (process.argv.includes('--warm-compile-cache')) await warmCompileCacheAndReport();
