import { parseArgs } from 'node:util';
import { Presets, SingleBar } from 'cli-progress';
import { connectEventBus, createLogger } from '@shop/runtime';
import { loadConfig } from '../config.js';
import { replayHistory } from '../events/inbound/history-replay.js';
import { openAnalyticsDatabase } from '../storage/duckdb.js';
import { migrateAnalyticsDatabase } from '../storage/migrate.js';
import { DuckDbReadModelWriter } from '../storage/read-model-writer.js';

const usage = `Rebuilds the analytics read model into an empty DuckDB file from the bus's retained history
(orders', products' and users' streams, each read from its start by a fresh consumer).

usage: node services/analytics/dist/cli/rebuild.js --duckdb-path <new file> [--nats-url url] [--events-namespace ns]
Defaults come from ANALYTICS_DUCKDB_PATH, NATS_URL and EVENTS_NAMESPACE. The NATS user must be allowed ordered consumers
on the three streams (the admin user; the service's own user has only its durable consumers). Point the service at
the new file once done.`;

const { values } = parseArgs({
  options: {
    'duckdb-path': { type: 'string' },
    'nats-url': { type: 'string' },
    'events-namespace': { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  },
});

async function main(): Promise<void> {
  if (values.help) {
    process.stdout.write(`${usage}\n`);
    return;
  }
  const overrides = { ANALYTICS_DUCKDB_PATH: values['duckdb-path'], NATS_URL: values['nats-url'], EVENTS_NAMESPACE: values['events-namespace'] };
  const config = loadConfig({ ...process.env, ...Object.fromEntries(Object.entries(overrides).filter(([, value]) => value !== undefined)) });
  const logger = createLogger('analytics-rebuild', 'warn');
  const database = await openAnalyticsDatabase(config.duckdbPath, { threads: config.duckdbThreads });
  const bus = await connectEventBus(config.natsUrl, 'analytics-rebuild', config.eventsNamespace);
  const bar = new SingleBar({ format: 'rebuild {bar} {value}/{total} events' }, Presets.shades_classic);
  try {
    await migrateAnalyticsDatabase(database);
    const read = await replayHistory(bus, new DuckDbReadModelWriter(database), logger, (done, total) => {
      if (done === 0) bar.start(total, 0);
      bar.update(done);
    });
    bar.stop();
    process.stdout.write(`${config.duckdbPath}: ${read} events applied\n`);
  } finally {
    bar.stop();
    await bus.close();
    database.close();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`rebuild failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
