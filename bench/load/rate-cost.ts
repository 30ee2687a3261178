import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { startEcho } from './echo-process.js';
import { h2load, type LoadShape } from './h2load.js';
import { processCpuSeconds } from './process-cpu.js';

const usage = `What one call costs the bare grpc-js echo (the load bench's ceiling) at a steady request rate, from a few calls a
second up to as fast as it answers: h2load on 1 connection with up to 32 streams at each --rates rate (requests a second),
then 4 connections x 16 streams unthrottled; CPU ms per call of the echo process from /proc (user + system).
At low rates each call finds the process asleep, and on this machine a Node process pays far more CPU per call then:
the per-call figures of a stack whose services each see a few hundred calls a second (a checkout) are read against this.
Usage: ./scripts/node.sh --import tsx bench/load/rate-cost.ts [--rates 10,70,300,1000] [--seconds 6] [--out bench/results/rate-cost.md]`;

const { values } = parseArgs({
  options: {
    rates: { type: 'string', default: '10,70,300,1000' },
    seconds: { type: 'string', default: '6' },
    out: { type: 'string', default: 'bench/results/rate-cost.md' },
    help: { type: 'boolean', short: 'h' },
  },
});
if (values.help) {
  console.log(usage);
  process.exit(0);
}
const seconds = Number(values.seconds);
const rates = values.rates!.split(',').map(Number);
const echo = await startEcho();
const rows: string[] = [];
try {
  const target = { name: 'echo', address: echo.address, path: '/bench.v1.EchoService/Echo', message: Buffer.from('rate-cost') };
  await h2load(target, { connections: 1, streams: 1, requests: 500 });
  const shapes: Array<[string, LoadShape]> = [
    ...rates.map((rate): [string, LoadShape] => [`${rate}/s`, { connections: 1, streams: 32, seconds, warmUpSeconds: 0, ratePerConnection: rate }]),
    ['unthrottled, 4 × 16 streams', { connections: 4, streams: 16, seconds, warmUpSeconds: 0 }],
  ];
  for (const [label, shape] of shapes) {
    const before = processCpuSeconds(echo.pid);
    const figures = await h2load(target, shape);
    const cpuMs = ((processCpuSeconds(echo.pid) - before) * 1000) / Math.max(1, figures.requests);
    const row = `| ${label} | ${Math.round(figures.requestsPerSecond)} | ${cpuMs.toFixed(3)} | ${figures.p50Ms.toFixed(2)} |`;
    console.log(row);
    rows.push(row);
  }
} finally {
  await echo.stop();
}
const report = `# CPU per call of the bare grpc-js echo at a steady request rate

Measured by \`./scripts/node.sh --import tsx bench/load/rate-cost.ts --rates ${values.rates} --seconds ${seconds}\` on ${new Date().toISOString().slice(0, 10)}.
CPU is the echo process's user + system time from /proc over each run, divided by the requests h2load logged in it (no warm-up: the echo is warmed once by 500 calls first).

| rate asked | req/s answered | echo CPU ms per call | p50 ms |
|---|--:|--:|--:|
${rows.join('\n')}
`;
await writeFile(values.out!, report);
console.log(`written to ${values.out}`);
