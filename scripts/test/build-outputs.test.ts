import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from '@jest/globals';
import { decode, encode } from '@jridgewell/sourcemap-codec';
import { build, type Plugin } from 'esbuild';
import { staysExternal } from '../bundled-dependencies.js';
import { BUILD_IMPORTS_FILE, buildTargets, repositoryRoot } from '../build-targets.js';
import { keepProjectSourcesMapped } from '../source-map-scope.js';
import { warmCompileCache } from '../warm-compile-cache.js';
import { leftOutModules, UMZUG_CLI_LEFT_OUT } from '../left-out-modules.js';

const scratch = await mkdtemp(join(repositoryRoot, '.local', 'build-outputs-test-'));

afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

describe('bundled outputs', () => {
  it('compile npm dependencies into the services and the telemetry preload only', () => {
    const bundled = buildTargets().filter((target) => target.bundlesDependencies).map((target) => target.outfile);
    expect(bundled).toContain('services/orders/dist/main.js');
    expect(bundled).toContain('packages/runtime/dist/telemetry-register.js');
    expect(bundled).not.toContain('infra/launcher/dist/start.js');
    expect(bundled).not.toContain('deploy/dist/healthcheck.js');
  });

  it('keep the modules OpenTelemetry patches, its hooks and its API as imports of their own', () => {
    for (const specifier of ['@grpc/grpc-js', '@grpc/grpc-js/build/src/index.js', 'pg', 'mongodb', 'ioredis', '@opentelemetry/api', 'import-in-the-middle/register-hooks.mjs']) {
      expect(staysExternal(specifier)).toBe(true);
    }
    for (const specifier of ['zod', '@bufbuild/protobuf/wire', '@connectrpc/connect-node', '@opentelemetry/sdk-trace-node']) expect(staysExternal(specifier)).toBe(false);
  });
});

describe('the source map of a bundled output', () => {
  it('maps the project sources as before and leaves npm code unmapped, one segment per run', async () => {
    const sources = ['../src/main.ts', '../../../node_modules/zod/index.js', '../../../packages/runtime/src/index.ts'];
    const lines = [
      [
        [0, 0, 1, 0],
        [10, 1, 5, 2],
        [20, 1, 6, 0],
      ],
      [[0, 1, 7, 0]],
      [
        [0, 2, 3, 4],
        [8, 1, 9, 0],
      ],
    ] as Array<Array<[number, number, number, number]>>;
    const file = join(scratch, 'main.js.map');
    await writeFile(file, JSON.stringify({ version: 3, sources, sourcesContent: ['main', 'zod', 'runtime'], mappings: encode(lines), names: [] }));

    await keepProjectSourcesMapped(file);

    const map = JSON.parse(await readFile(file, 'utf8')) as { mappings: string; sourcesContent: Array<string | null> };
    expect(decode(map.mappings)).toEqual([[[0, 0, 1, 0], [10]], [], [[0, 2, 3, 4], [8]]]);
    expect(map.sourcesContent).toEqual(['main', null, 'runtime']);
  });
});

describe('warming the compile cache', () => {
  it('compiles the npm modules an output imports into the cache, then skips the work while nothing changed', async () => {
    const root = join(scratch, 'root');
    const cacheDir = join(scratch, 'cache');
    await mkdir(join(root, '.local'), { recursive: true });
    await writeFile(join(root, BUILD_IMPORTS_FILE), JSON.stringify({ 'out.js': [{ path: 'zod', kind: 'import' }, { path: 'yaml', kind: 'require' }, { path: 'no-such-module', kind: 'import' }] }));

    const first = await warmCompileCache(root, cacheDir);

    expect(first.warmed).toBe(true);
    expect(first.failed).toEqual([expect.stringContaining('no-such-module')]);
    expect((await readdir(cacheDir, { recursive: true })).length).toBeGreaterThan(10);
    expect(await readdir(root)).toEqual(['.local']);
    expect(await warmCompileCache(root, cacheDir)).toEqual({ warmed: false, failed: [] });
  });
});

describe('modules of npm dependencies left out of the bundles', () => {
  /** Bundles the source as an ES module with and without the plugin, loads both and returns their inputs and run() results. */
  const bundleBothWays = async <T>(name: string, source: string[]) => {
    const entry = join(scratch, `${name}.ts`);
    await writeFile(entry, source.join('\n'));
    const bundled = async (variant: string, plugins: Plugin[]) => {
      const outfile = join(scratch, `${name}-${variant}.mjs`);
      const { metafile } = await build({
        entryPoints: [entry],
        outfile,
        bundle: true,
        platform: 'node',
        format: 'esm',
        metafile: true,
        logLevel: 'silent',
        banner: { js: "import { createRequire as __shopCreateRequire } from 'node:module'; const require = __shopCreateRequire(import.meta.url);" },
        plugins,
      });
      const { run } = (await import(pathToFileURL(outfile).href)) as { run: () => Promise<T> };
      return { inputs: Object.keys(metafile.inputs), result: await run() };
    };
    return { whole: await bundled('whole', []), lean: await bundled('lean', [leftOutModules()]) };
  };

  it("leave out umzug's command-line interface, and Umzug still applies migrations", async () => {
    const { whole, lean } = await bundleBothWays<{ applied: string[]; cli: string }>('umzug', [
      "import { Umzug, memoryStorage } from 'umzug';",
      'export async function run() {',
      '  const applied: string[] = [];',
      "  const migrations = ['V1', 'V2'].map((migration) => ({ name: migration, up: async () => void applied.push(migration) }));",
      '  const umzug = new Umzug({ migrations, storage: memoryStorage(), logger: undefined });',
      '  await umzug.up();',
      "  const cli = await umzug.runAsCLI(['list']).then(() => 'ran', (error: Error) => error.message);",
      '  return { applied, cli };',
      '}',
    ]);
    const fromCli = (inputs: string[]) => inputs.filter((input) => /node_modules\/(@rushstack\/ts-command-line|z-schema)\//.test(input));

    expect(fromCli(whole.inputs).length).toBeGreaterThan(0);
    expect(fromCli(lean.inputs)).toEqual([]);
    expect(lean.inputs).toContain('node_modules/umzug/lib/umzug.js');
    expect(lean.result).toEqual({ applied: ['V1', 'V2'], cli: UMZUG_CLI_LEFT_OUT });
    expect(whole.result.applied).toEqual(['V1', 'V2']);
  });

  it("leave out zod's locales but English, and zod still validates with English messages", async () => {
    const { whole, lean } = await bundleBothWays<{ parsed: unknown; message?: string; locales: string[] }>('zod', [
      "import { z } from 'zod';",
      'export async function run() {',
      '  const schema = z.object({ port: z.coerce.number().int().min(1), host: z.string() });',
      "  const message = schema.safeParse({ port: '0', host: 1 }).error?.issues.map((issue) => issue.message).join('; ');",
      "  return { parsed: schema.parse({ port: '8080', host: 'localhost' }), message, locales: Object.keys(z.locales) };",
      '}',
    ]);
    const locales = (inputs: string[]) => inputs.filter((input) => input.includes('node_modules/zod/v4/locales/'));

    expect(locales(whole.inputs).length).toBeGreaterThan(10);
    expect(locales(lean.inputs)).toEqual(['node_modules/zod/v4/locales/en.js']);
    expect(lean.result).toEqual({ ...whole.result, locales: ['en'] });
    expect(lean.result.parsed).toEqual({ port: 8080, host: 'localhost' });
    expect(lean.result.message).toBe('Too small: expected number to be >=1; Invalid input: expected string, received number');
  });
});
