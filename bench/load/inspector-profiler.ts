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

/** Starts the V8 sampling profiler inside a running Node process (through an in-process inspector session). */
export async function startProfiling(pid: number): Promise<void> {
  await evaluateIn(
    pid,
    `new Promise((resolve) => { const { Session } = process.getBuiltinModule('node:inspector'); const session = new Session(); session.connect();
       globalThis.__benchProfiler = session; session.post('Profiler.enable', () => session.post('Profiler.setSamplingInterval', { interval: 200 }, () => session.post('Profiler.start', () => resolve(true)))); })`,
  );
}

/** Stops the profiler started by startProfiling and writes the .cpuprofile to the given path (by the profiled process). */
export async function stopProfiling(pid: number, path: string): Promise<void> {
  await evaluateIn(
    pid,
    `new Promise((resolve, reject) => { const session = globalThis.__benchProfiler; session.post('Profiler.stop', (error, { profile }) => {
       if (error) return reject(error); process.getBuiltinModule('node:fs').writeFileSync(${JSON.stringify(path)}, JSON.stringify(profile)); session.disconnect(); resolve(true); }); })`,
  );
}

interface CpuProfile {
  nodes: Array<{ hitCount?: number; callFrame: { functionName: string; url: string; lineNumber: number } }>;
}

type CallFrame = CpuProfile['nodes'][number]['callFrame'];

const sourceOf = (url: string) => url.split('node_modules/').at(-1)!.replace(/^.*\/(services|infra|packages)\//, '$1/');

function packageOf({ url, functionName }: CallFrame): string {
  if (!url) return functionName || '(native)';
  if (url.startsWith('node:')) return 'node internals';
  const source = sourceOf(url);
  return source.split('/').slice(0, source.startsWith('@') || /^(services|infra|packages)\//.test(source) ? 2 : 1).join('/');
}

/** The share of self time by package and by function of a .cpuprofile (from each node's hit count), biggest first. */
export function summarizeProfile(profile: CpuProfile, top = 20): { packages: Array<[string, number]>; functions: Array<[string, number]> } {
  const total = Math.max(1, profile.nodes.reduce((sum, node) => sum + (node.hitCount ?? 0), 0));
  const tally = (keyOf: (frame: CallFrame) => string): Array<[string, number]> => {
    const shares = new Map<string, number>();
    for (const { hitCount, callFrame } of profile.nodes) if (hitCount) shares.set(keyOf(callFrame), (shares.get(keyOf(callFrame)) ?? 0) + (hitCount / total) * 100);
    return [...shares].sort((a, b) => b[1] - a[1]).slice(0, top);
  };
  return { packages: tally(packageOf), functions: tally((frame) => `${frame.functionName || '(anonymous)'} ${sourceOf(frame.url)}:${frame.lineNumber + 1}`) };
}
