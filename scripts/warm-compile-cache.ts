import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { promisify } from 'node:util';
import { COMPILE_CACHE_DIR, LOCAL_NODE_FLAGS } from '../infra/launcher/src/supervision/node-flags.js';
import { BUILD_IMPORTS_FILE, buildTargets, repositoryRoot, type ExternalImport } from './build-targets.js';

/**
 * Fills Node's compile cache (the one npm start's processes use) with every npm module the compiled outputs import, and
 * with the outputs that start nothing when loaded (the services, the telemetry preload), so the first npm start after
 * setup loads cached bytecode instead of compiling each process's modules. Node
 * checks each entry against its file's contents and V8's version and flags, so a cache made here is either used as is
 * or ignored and rebuilt, never wrong. Each output's imports are loaded by a file beside it (the same resolution as the
 * output's own), in one Node process with the flags the launcher gives its children; nothing of the system is started.
 * A stamp in the cache folder skips the work while those outputs, their imports, the lock file and Node are unchanged.
 */

const run = promisify(execFile);

/** The source of a module that loads the given npm modules the way the output beside it does, then the output itself when it may. */
function warmupModule(imports: readonly ExternalImport[], output: string | undefined): string {
  const load = (entry: ExternalImport) => (entry.kind === 'require' ? `() => require(${JSON.stringify(entry.path)})` : `() => import(${JSON.stringify(entry.path)})`);
  const loads = [...imports.map(load), ...(output ? [`() => import(${JSON.stringify(`./${output}`)})`] : [])];
  return [
    "import { createRequire } from 'node:module';",
    'const require = createRequire(import.meta.url);',
    `const loads = [${loads.join(', ')}];`,
    'const failed = [];',
    'for (const load of loads) await Promise.resolve().then(load).catch((error) => failed.push(String(error?.message ?? error).split("\\n")[0]));',
    'export default failed;',
  ].join('\n');
}

/** What the cache was warmed for: the outputs' imports, the importable outputs, the installed dependencies, Node and its flags. */
async function warmthKey(root: string, importsFile: string, importable: readonly string[]): Promise<string> {
  const hash = createHash('sha256').update(importsFile).update(process.version).update(LOCAL_NODE_FLAGS.join(' '));
  for (const file of ['package-lock.json', ...importable]) hash.update(await readFile(join(root, file)).catch(() => Buffer.alloc(0)));
  return hash.digest('hex');
}

/** Loads every output's npm imports under NODE_COMPILE_CACHE and writes the cache, unless it is warm already; returns the modules that failed to load. */
export async function warmCompileCache(root = repositoryRoot, cacheDir = COMPILE_CACHE_DIR): Promise<{ warmed: boolean; failed: string[] }> {
  const importsFile = await readFile(join(root, BUILD_IMPORTS_FILE), 'utf8');
  const stamp = join(cacheDir, 'warmed-for');
  const importable = buildTargets(root).filter((target) => target.importable).map((target) => target.outfile);
  const key = await warmthKey(root, importsFile, importable);
  if ((await readFile(stamp, 'utf8').catch(() => '')) === key) return { warmed: false, failed: [] };
  const byOutput = JSON.parse(importsFile) as Record<string, ExternalImport[]>;
  const warmups = Object.entries(byOutput).map(([outfile, imports]) => ({
    file: join(root, `${outfile}.warmup.mjs`),
    source: warmupModule(imports, importable.includes(outfile) ? basename(outfile) : undefined),
  }));
  await Promise.all(warmups.map(({ file, source }) => writeFile(file, source)));
  const script = [
    "const { flushCompileCache } = await import('node:module');",
    `const files = ${JSON.stringify(warmups.map(({ file }) => file))};`,
    'const failed = [];',
    'for (const file of files) failed.push(...(await import(file)).default);',
    'flushCompileCache();',
    'process.stdout.write(JSON.stringify([...new Set(failed)]));',
    'process.exit(0);',
  ].join('\n');
  try {
    const { stdout } = await run(process.execPath, [...LOCAL_NODE_FLAGS, '--input-type=module', '-e', script], {
      cwd: root,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, NODE_COMPILE_CACHE: cacheDir },
      maxBuffer: 16 * 1024 * 1024,
    });
    const failed = JSON.parse(stdout.slice(stdout.lastIndexOf('['))) as string[];
    await mkdir(cacheDir, { recursive: true });
    await writeFile(stamp, key);
    return { warmed: true, failed };
  } finally {
    await Promise.all(warmups.map(({ file }) => rm(file, { force: true })));
  }
}

/** Warms the cache and says what it did. */
export async function warmCompileCacheAndReport(): Promise<void> {
  const started = performance.now();
  const { warmed, failed } = await warmCompileCache();
  for (const line of failed) console.warn(`compile cache: not warmed: ${line}`);
  if (warmed) console.log(`compile cache: the outputs' npm modules, services and preload compiled into ${COMPILE_CACHE_DIR} in ${Math.round(performance.now() - started)} ms`);
}
