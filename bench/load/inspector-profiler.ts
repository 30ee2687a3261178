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
  nodes: Array<{ id: number; callFrame: { functionName: string; url: string; lineNumber: number } }>;
  samples: number[];
}

/** The share of self time by package and by function of a .cpuprofile, biggest first. */
export function summarizeProfile(profile: CpuProfile, top = 20): { packages: Array<[string, number]>; functions: Array<[string, number]> } {
  const self = new Map<number, number>();
  for (const sample of profile.samples) self.set(sample, (self.get(sample) ?? 0) + 1);
  const byPlace = new Map<string, number>();
  const byPackage = new Map<string, number>();
  for (const node of profile.nodes) {
    const count = self.get(node.id) ?? 0;
    if (count === 0) continue;
    const { functionName, url, lineNumber } = node.callFrame;
    const modules = url.split('node_modules/');
    const inPackage = modules.length > 1 ? modules.at(-1)! : undefined;
    const pkg = inPackage ? inPackage.split('/').slice(0, inPackage.startsWith('@') ? 2 : 1).join('/') : url.startsWith('node:') ? 'node internals' : url ? url.replace(/^.*\/(services|infra|packages)\//, '$1/').replace(/\/.*$/, '') : functionName || '(native)';
    const place = `${functionName || '(anonymous)'} ${(inPackage ?? url.replace(/^.*\/(services|infra|packages)\//, '$1/'))}:${lineNumber + 1}`;
    byPlace.set(place, (byPlace.get(place) ?? 0) + count);
    byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + count);
  }
  const total = Math.max(1, profile.samples.length);
  const share = (entries: Map<string, number>) => [...entries].sort((a, b) => b[1] - a[1]).slice(0, top).map(([name, count]) => [name, (count / total) * 100] as [string, number]);
  return { packages: share(byPackage), functions: share(byPlace) };
}
