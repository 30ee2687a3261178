import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { kill } from 'node:process';

const INSPECTOR_PORT = 9229;

/** Sends one Chrome DevTools Protocol command over a WebSocket and resolves with its result. */
async function devtools(url: string, method: string, params: Record<string, unknown>): Promise<Record<string, unknown>> {
  const socket = new WebSocket(url);
  await new Promise((resolve, reject) => {
    socket.addEventListener('open', resolve, { once: true });
    socket.addEventListener('error', () => reject(new Error(`cannot reach the inspector at ${url}`)), { once: true });
  });
  try {
    return await new Promise((resolve, reject) => {
      socket.addEventListener('message', (event) => {
        const message = JSON.parse(String(event.data)) as { id?: number; result?: Record<string, unknown>; error?: { message: string } };
        if (message.id !== 1) return;
        if (message.error) reject(new Error(message.error.message));
        else resolve(message.result ?? {});
      });
      socket.send(JSON.stringify({ id: 1, method, params }));
    });
  } finally {
    socket.close();
  }
}

/** Opens the inspector of a running Node process (SIGUSR1), runs an expression in it, and closes the inspector again. */
async function evaluateIn(pid: number, expression: string): Promise<unknown> {
  kill(pid, 'SIGUSR1');
  let target: string | undefined;
  for (let attempt = 0; attempt < 50 && !target; attempt += 1) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    const list = await fetch(`http://127.0.0.1:${INSPECTOR_PORT}/json/list`).then((response) => response.json() as Promise<Array<{ webSocketDebuggerUrl: string }>>, () => []);
    target = list[0]?.webSocketDebuggerUrl;
  }
  if (!target) throw new Error(`process ${pid} opened no inspector on port ${INSPECTOR_PORT}`);
  const closing = `setTimeout(() => process.getBuiltinModule('node:inspector').close(), 50)`;
  const guarded = `(async () => { if (process.pid !== ${pid}) return { otherProcess: process.pid }; try { return { value: await (${expression}) }; } finally { ${closing}; } })()`;
  const result = await devtools(target, 'Runtime.evaluate', { expression: guarded, awaitPromise: true, returnByValue: true });
  await new Promise((resolve) => setTimeout(resolve, 300));
  if (result.exceptionDetails) throw new Error(`evaluation failed in ${pid}: ${JSON.stringify(result.exceptionDetails)}`);
  const answer = (result.result as { value?: { otherProcess?: number; value?: unknown } } | undefined)?.value;
  if (answer?.otherProcess !== undefined) throw new Error(`inspector port ${INSPECTOR_PORT} belongs to process ${answer.otherProcess}, not ${pid}`);
  return answer?.value;
}

/**
 * What a profile samples: where the CPU time goes (the V8 CPU profiler, every 200 µs), or where the allocated bytes
 * come from (V8's sampling heap profiler, about every 32 KiB, objects the garbage collector has since freed included).
 */
export type ProfileKind = 'cpu' | 'allocations';

const PROFILER_COMMANDS: Record<ProfileKind, { start: string; stop: string }> = {
  cpu: {
    start: `session.post('Profiler.enable', () => session.post('Profiler.setSamplingInterval', { interval: 200 }, () => session.post('Profiler.start', () => resolve(true))))`,
    stop: 'Profiler.stop',
  },
  allocations: {
    start: `session.post('HeapProfiler.enable', () => session.post('HeapProfiler.startSampling', { samplingInterval: 32768, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true }, () => resolve(true)))`,
    stop: 'HeapProfiler.stopSampling',
  },
};

/** Starts a profiler inside a running Node process (through an in-process inspector session). */
export async function startProfiling(pid: number, kind: ProfileKind = 'cpu'): Promise<void> {
  await evaluateIn(
    pid,
    `new Promise((resolve) => { const { Session } = process.getBuiltinModule('node:inspector'); const session = new Session(); session.connect();
       globalThis.__benchProfiler = session; ${PROFILER_COMMANDS[kind].start}; })`,
  );
}

/** Stops the profiler started by startProfiling and writes its profile as JSON to the given path (by the profiled process). */
export async function stopProfiling(pid: number, path: string, kind: ProfileKind = 'cpu'): Promise<void> {
  await evaluateIn(
    pid,
    `new Promise((resolve, reject) => { const session = globalThis.__benchProfiler; session.post('${PROFILER_COMMANDS[kind].stop}', (error, { profile }) => {
       if (error) return reject(error); process.getBuiltinModule('node:fs').writeFileSync(${JSON.stringify(path)}, JSON.stringify(profile)); session.disconnect(); resolve(true); }); })`,
  );
}

interface CpuProfile {
  nodes: Array<{ hitCount?: number; callFrame: { functionName: string; url: string; lineNumber: number } }>;
}

/** A sampling heap profile (HeapProfiler.stopSampling): a tree of call frames with the bytes allocated in each. */
interface AllocationProfile {
  head: AllocationNode;
}

interface AllocationNode {
  callFrame: CpuProfile['nodes'][number]['callFrame'];
  selfSize: number;
  children: AllocationNode[];
}

/** The bytes an allocation profile estimates were allocated while it sampled (V8 scales each sample by the sampling interval). */
export function allocatedBytes(profile: AllocationProfile): number {
  return allocationsAsNodes(profile).nodes.reduce((sum, node) => sum + (node.hitCount ?? 0), 0);
}

/** An allocation profile's frames as a CPU profile's nodes, bytes for hits, so summarizeProfile gives the shares of allocated bytes. */
export function allocationsAsNodes(profile: AllocationProfile): CpuProfile {
  const nodes: CpuProfile['nodes'] = [];
  const visit = (node: AllocationNode) => {
    nodes.push({ hitCount: node.selfSize, callFrame: node.callFrame });
    node.children.forEach(visit);
  };
  visit(profile.head);
  return { nodes };
}

type CallFrame = CpuProfile['nodes'][number]['callFrame'];

/** The `// <path>` comment esbuild writes before each module it bundles. */
const BUNDLED_MODULE = /^\/\/ ((?:node_modules|packages|services|infra)\/\S+\.[cm]?[jt]s)$/;

const bundles = new Map<string, Array<{ line: number; module: string }>>();

/**
 * The module a line of a bundled file came from (node_modules/... or the project's own source), from esbuild's
 * module comments; undefined outside a bundle. The bundles' source maps cannot say: they map only the project's own
 * sources, so code compiled in from npm would all count as the bundle.
 */
function bundledModuleAt(url: string, line: number): string | undefined {
  if (!url.startsWith('file://') || url.includes('/node_modules/')) return undefined;
  let modules = bundles.get(url);
  if (!modules) {
    let lines: string[] = [];
    try {
      lines = readFileSync(fileURLToPath(url), 'utf8').split('\n');
    } catch {
      // a file the profile names but this machine lacks is attributed to itself
    }
    modules = lines.flatMap((text, index) => {
      const module = BUNDLED_MODULE.exec(text)?.[1];
      return module ? [{ line: index, module }] : [];
    });
    bundles.set(url, modules);
  }
  return modules.findLast((module) => module.line <= line)?.module;
}

const sourceOf = ({ url, lineNumber }: CallFrame) =>
  (bundledModuleAt(url, lineNumber) ?? url).split('node_modules/').at(-1)!.replace(/^(?:.*\/)?(services|infra|packages)\//, '$1/');

/**
 * The package a frame's code belongs to: an npm package, `services/<name>` and the like, `node internals`, or for a
 * frame with no script (V8's and Node's native functions) its name marked ` (native)`, so that a native `writev` is
 * not taken for an npm package; V8's own entries such as `(program)` keep their names.
 */
function packageOf(frame: CallFrame): string {
  if (!frame.url) return !frame.functionName ? '(native)' : frame.functionName.startsWith('(') ? frame.functionName : `${frame.functionName}${NATIVE}`;
  if (frame.url.startsWith('node:')) return 'node internals';
  const source = sourceOf(frame);
  return source.split('/').slice(0, source.startsWith('@') || /^(services|infra|packages)\//.test(source) ? 2 : 1).join('/');
}

/** A function by name and source module, with the file and line it ran from (the bundle's, for bundled code). */
function functionOf(frame: CallFrame): string {
  const name = frame.functionName || '(anonymous)';
  if (!frame.url) return name;
  const ranFrom = `${frame.url.replace(/^file:\/\/.*\/node_modules\//, '').replace(/^file:\/\/.*?\/(services|infra|packages)\//, '$1/')}:${frame.lineNumber + 1}`;
  const source = sourceOf(frame);
  return ranFrom.startsWith(source) ? `${name} ${ranFrom}` : `${name} ${source} (${ranFrom})`;
}

/** The share of self time by package and by function of a .cpuprofile (from each node's hit count), biggest first. */
export function summarizeProfile(profile: CpuProfile, top = 20): { packages: Array<[string, number]>; functions: Array<[string, number]> } {
  const total = Math.max(1, profile.nodes.reduce((sum, node) => sum + (node.hitCount ?? 0), 0));
  const tally = (keyOf: (frame: CallFrame) => string): Array<[string, number]> => {
    const shares = new Map<string, number>();
    for (const { hitCount, callFrame } of profile.nodes) {
      if (!hitCount) continue;
      const key = keyOf(callFrame);
      shares.set(key, (shares.get(key) ?? 0) + (hitCount / total) * 100);
    }
    return [...shares].sort((a, b) => b[1] - a[1]).slice(0, top);
  };
  return { packages: tally(packageOf), functions: tally(functionOf) };
}

const NATIVE = ' (native)';

/** Native functions that move a socket's or an HTTP/2 stream's bytes. */
const NATIVE_IO = new Set(['writeBuffer', 'writev', 'writeUtf8String', 'respond', 'trailers', 'readStart', 'readStop', 'destroy', 'shutdown', 'hasPendingData', 'WriteWrap', 'TCP', 'connect']);

/** The layer of the stack a package of summarizeProfile belongs to. */
function layerOf(pkg: string): string {
  if (pkg.startsWith('@opentelemetry/')) return 'OpenTelemetry (spans, metrics, OTLP export)';
  if (pkg === 'mongodb' || pkg === 'bson') return 'MongoDB driver';
  if (pkg === '@bufbuild/protobuf') return 'protobuf messages';
  if (/^(services|packages|infra)\//.test(pkg)) return "the project's own code";
  if (pkg === '(program)' || pkg === '(garbage collector)') return `V8 ${pkg}`;
  if (pkg.startsWith('@elastic/') || pkg === 'undici' || pkg === 'secure-json-parse') return 'Elasticsearch client (its transport, undici, reply JSON parsing)';
  const native = pkg.endsWith(NATIVE) ? pkg.slice(0, -NATIVE.length) : undefined;
  if (pkg === 'node internals' || pkg === '@grpc/grpc-js' || pkg === '@connectrpc/connect' || (native !== undefined && NATIVE_IO.has(native))) return 'transport (grpc-js, Connect, Node http2, net, streams, native I/O)';
  return native !== undefined || pkg === '(native)' ? 'other native work (microtasks, timers, string codecs)' : 'other packages';
}

/** Shares of the busy (non-idle) samples by layer, from summarizeProfile's packages (pass them all: a large `top`). */
export function busyByLayer(packages: ReadonlyArray<readonly [string, number]>): Array<[string, number]> {
  const busy = packages.filter(([pkg]) => pkg !== '(idle)');
  const total = Math.max(Number.EPSILON, busy.reduce((sum, [, share]) => sum + share, 0));
  const layers = new Map<string, number>();
  for (const [pkg, share] of busy) layers.set(layerOf(pkg), (layers.get(layerOf(pkg)) ?? 0) + (share / total) * 100);
  return [...layers].sort((a, b) => b[1] - a[1]);
}
