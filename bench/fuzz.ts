import { parseArgs } from 'node:util';
import { writeFile } from 'node:fs/promises';
import { runFuzz } from '@shop/runtime/testing';
import { startTestStores, stopTestStores } from '../test/test-stores.js';
import { startFuzzStack, startWellFormedCaller } from '../test/support/fuzz-stack.js';

const usage = `Fuzzes every RPC of every service and of the gateway, with a well-formed caller alongside, and prints the answers by status code.
Usage: node --import tsx bench/fuzz.ts [--requests 20000] [--concurrency 8] [--seed 16] [--timeout-ms 15000] [--out bench/results/fuzz.md]`;

const { values } = parseArgs({
  options: {
    requests: { type: 'string', default: '20000' },
    concurrency: { type: 'string', default: '8' },
    seed: { type: 'string', default: '16' },
    'timeout-ms': { type: 'string', default: '15000' },
    out: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  },
});
if (values.help) {
  console.log(usage);
  process.exit(0);
}

await startTestStores();
const stack = await startFuzzStack();
try {
  const started = performance.now();
  const bystander = startWellFormedCaller(stack);
  const report = await runFuzz(stack.targets(), {
    requests: Number(values.requests),
    concurrency: Number(values.concurrency),
    seed: Number(values.seed),
    timeoutMs: Number(values['timeout-ms']),
    knownStrings: stack.fuzzStrings,
  });
  const wellFormed = await bystander.stop();
  const seconds = (performance.now() - started) / 1000;
  const health = await stack.health();
  const rows = Object.entries(report.byCode).sort(([, a], [, b]) => b - a);
  const lines = [
    `| status code | answers |`,
    `|---|---:|`,
    ...rows.map(([code, count]) => `| ${code} | ${count} |`),
    `| **total** | **${report.total}** |`,
    '',
    `Forbidden answers (INTERNAL, UNKNOWN, DEADLINE_EXCEEDED, no answer): ${report.failures.length}.`,
    `Well-formed bystander calls during the run: ${wellFormed.calls}, failed: ${wellFormed.failures.length}.`,
    `Health afterwards: ${Object.entries(health).map(([name, state]) => `${name} ${state}`).join(', ')}.`,
    `${report.total} requests in ${seconds.toFixed(0)} s (seed ${values.seed}, ${values.concurrency} concurrent, ${values['timeout-ms']} ms deadline each).`,
  ];
  console.log(lines.join('\n'));
  for (const failure of report.failures.slice(0, 20)) console.log(JSON.stringify(failure));
  for (const failure of wellFormed.failures.slice(0, 10)) console.log(`bystander: ${failure}`);
  if (values.out) {
    const header = [
      '# Fuzz: every RPC of every service and of the gateway',
      '',
      `Measured by \`node --import tsx bench/fuzz.ts --requests ${values.requests}\` on ${new Date().toISOString().slice(0, 10)}, against the five services and the gateway on the test stores, on one shared 2-core machine.`,
      'Requests are generated from the protobuf descriptors (boundary numbers, long, non-ASCII and control-character strings, unknown enum values, lists past the bounds, missing fields, real ids mixed in), undecodable gRPC frames sent over raw HTTP/2, and malformed Connect bodies (JSON and binary) at the gateway.',
      'The goal is 0 INTERNAL, UNKNOWN or DEADLINE_EXCEEDED; `Http415` counts Connect bodies of an unsupported content type.',
      '',
    ];
    await writeFile(values.out, `${[...header, ...lines].join('\n')}\n`);
  }
  process.exitCode = report.failures.length === 0 && wellFormed.failures.length === 0 ? 0 : 1;
} finally {
  await stack.stop();
  await stopTestStores();
}
