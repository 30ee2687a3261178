import { loadLauncherConfig } from './config.js';
import { spansFileOf } from './tracing/otlp-receiver.js';
import { readSpans, spansOfTrace, traceIdsFor } from './tracing/span-file.js';
import { formatWaterfall } from './tracing/waterfall.js';

/** `npm run trace -- <trace id | order id | any attribute value>`: prints the trace(s) as a waterfall. */
async function main(argv: readonly string[]): Promise<number> {
  const id = argv[0];
  const spansFile = spansFileOf(loadLauncherConfig().dataDir);
  if (!id) {
    process.stderr.write('usage: npm run trace -- <trace id or order id>\n');
    return 2;
  }
  const spans = await readSpans(spansFile);
  const traceIds = traceIdsFor(spans, id).filter((traceId) => spansOfTrace(spans, traceId).length > 0);
  if (traceIds.length === 0) {
    process.stderr.write(`no trace for ${id} in ${spansFile} (${spans.length} spans received; is npm start running with the local receiver?)\n`);
    return 1;
  }
  for (const traceId of traceIds) process.stdout.write(`${formatWaterfall(spansOfTrace(spans, traceId))}\n\n`);
  return 0;
}

process.exitCode = await main(process.argv.slice(2));
