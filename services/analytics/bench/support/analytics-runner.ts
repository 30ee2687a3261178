import { loadConfig } from '../../src/config.js';
import { startAnalytics } from '../../src/main.js';

/** What the bench asks the runner over IPC. */
export type RunnerRequest = 'cpu' | 'stop';

/** What the runner answers over IPC: its address once serving, its CPU use when asked. */
export type RunnerReply = { readonly address: string } | { readonly cpu: NodeJS.CpuUsage };

const server = await startAnalytics(loadConfig());
const reply = (message: RunnerReply) => process.send?.(message);
reply({ address: server.address });
process.on('message', (request: RunnerRequest) => {
  if (request === 'cpu') reply({ cpu: process.cpuUsage() });
  else void server.shutdown().then(() => process.exit(0));
});
