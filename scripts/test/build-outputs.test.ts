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
import { UMZUG_CLI_LEFT_OUT, withoutUmzugCli } from '../without-umzug-cli.js';

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

describe('umzug in a bundle', () => {
  const bundleUmzug = async (name: string, plugins: Plugin[]) => {
    const entry = join(scratch, `${name}.ts`);
    await writeFile(
      entry,
      [
        "import { Umzug, memoryStorage } from 'umzug';",
        'export async function run(): Promise<{ applied: string[]; cli: string }> {',
        '  const applied: string[] = [];',
        "  const migrations = ['V1', 'V2'].map((migration) => ({ name: migration, up: async () => void applied.push(migration) }));",
        '  const umzug = new Umzug({ migrations, storage: memoryStorage(), logger: undefined });',
        '  await umzug.up();',
        "  const cli = await umzug.runAsCLI(['list']).then(() => 'ran', (error: Error) => error.message);",
        '  return { applied, cli };',
        '}',
      ].join('\n'),
    );
    const outfile = join(scratch, `${name}.mjs`);
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
    const inputs = Object.keys(metafile.inputs);
    const { run } = (await import(pathToFileURL(outfile).href)) as { run: () => Promise<{ applied: string[]; cli: string }> };
    return { inputs, ...(await run()) };
  };
  const fromCli = (inputs: string[]) => inputs.filter((input) => /node_modules\/(@rushstack\/ts-command-line|z-schema)\//.test(input));

  it('leaves its command-line interface out and still applies migrations', async () => {
    const whole = await bundleUmzug('umzug-whole', []);
    const lean = await bundleUmzug('umzug-lean', [withoutUmzugCli()]);

    expect(fromCli(whole.inputs).length).toBeGreaterThan(0);
    expect(fromCli(lean.inputs)).toEqual([]);
    expect(lean.inputs).toContain('node_modules/umzug/lib/umzug.js');
    expect(lean.applied).toEqual(['V1', 'V2']);
    expect(lean.cli).toBe(UMZUG_CLI_LEFT_OUT);
    expect(whole.applied).toEqual(['V1', 'V2']);
  });
});
