/**
 * CPU the stand-in spends per checkout's stock write, through the official driver: each of 16 concurrent buyers runs
 * the products service's reservation transaction (read the reservation and the product, update the stock, append the
 * event to the outbox, record the reservation, commit) on a catalogue of 2,000 validated products, while a relay
 * reads and marks the outbox as the products service's does. The stand-in runs compiled (dist/cli.js) in its own
 * process; its CPU comes from /proc. With --cpu-prof-dir <dir> it runs under `node --cpu-prof`.
 * Run: npm run -s build && node --import tsx infra/mongo-standin/bench/checkout-writes.bench.ts [--seconds 10] [--cpu-prof-dir dir]
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { Binary, MongoClient, ObjectId, type Db } from 'mongodb';

const { values } = parseArgs({ options: { seconds: { type: 'string', default: '10' }, 'cpu-prof-dir': { type: 'string' } } });
const PRODUCTS = 2_000;
const BUYERS = 16;

const productSchema = {
  $jsonSchema: {
    bsonType: 'object',
    required: ['_id', 'sku', 'name', 'stock', 'version', 'updateTime'],
    properties: { _id: { bsonType: 'string' }, sku: { bsonType: 'string', minLength: 1 }, name: { bsonType: 'string' }, stock: { bsonType: ['int', 'long'], minimum: 0 }, version: { bsonType: ['int', 'long'], minimum: 1 }, updateTime: { bsonType: 'date' } },
  },
};
const reservationSchema = {
  $jsonSchema: {
    bsonType: 'object',
    required: ['_id', 'items', 'status', 'createTime'],
    properties: { items: { bsonType: 'array', items: { bsonType: 'object', required: ['productId', 'quantity'] } }, status: { enum: ['RESERVED', 'REJECTED', 'RELEASED'] }, createTime: { bsonType: 'date' } },
  },
};

function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

async function prepare(db: Db): Promise<void> {
  await db.createCollection('products', { validator: productSchema });
  await db.createCollection('reservations', { validator: reservationSchema });
  await db.createCollection('outbox');
  await db.collection('products').createIndexes([{ key: { sku: 1 }, name: 'sku_unique', unique: true }, { key: { categoryId: 1, _id: 1 }, name: 'category_id' }]);
  await db.collection('outbox').createIndexes([
    { key: { eventId: 1 }, name: 'event_id_unique', unique: true },
    { key: { publishedAt: 1, _id: 1 }, name: 'unpublished' },
    { key: { publishedAt: 1 }, name: 'published_ttl', expireAfterSeconds: 604_800 },
  ]);
  const now = new Date();
  await db.collection<{ _id: string }>('products').insertMany(Array.from({ length: PRODUCTS }, (_, index) => ({ _id: `p-${index}`, sku: `sku-${index}`, name: `Product ${index}`, categoryId: 'shoes', stock: 1_000_000, version: 1, updateTime: now })));
}

async function reserveOnce(client: MongoClient, db: Db, reservationId: string): Promise<void> {
  const productId = `p-${Math.floor(Math.random() * PRODUCTS)}`;
  await client.withSession((session) =>
    session.withTransaction(
      async () => {
        await db.collection<{ _id: string }>('reservations').findOne({ _id: reservationId }, { session });
        const [product] = await db.collection<{ _id: string; stock: number; version: number }>('products').find({ _id: { $in: [productId] } }, { session }).toArray();
        await db.collection<{ _id: string }>('products').bulkWrite([{ updateOne: { filter: { _id: productId }, update: { $set: { stock: product!.stock - 1, version: product!.version + 1, updateTime: new Date() } } } }], { session });
        await db.collection('outbox').insertMany([{ _id: new ObjectId(), eventId: reservationId, subject: 'products.stock', type: 'StockChanged', payload: new Binary(Buffer.alloc(80)), createTime: new Date(), publishedAt: null }], { session });
        await db.collection<{ _id: string; [field: string]: unknown }>('reservations').insertOne({ _id: reservationId, items: [{ productId, quantity: 1 }], status: 'RESERVED', shortProductIds: [], createTime: new Date() }, { session });
      },
      { readConcern: { level: 'snapshot' }, writeConcern: { w: 'majority' } },
    ),
  );
}

async function relay(db: Db, until: number): Promise<void> {
  while (performance.now() < until) {
    const events = await db.collection('outbox').find({ publishedAt: null }).sort({ _id: 1 }).limit(100).toArray();
    if (events.length > 0) await db.collection('outbox').updateMany({ eventId: { $in: events.map((event) => event.eventId as string) } }, { $set: { publishedAt: new Date() } });
    else await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

const dataDir = mkdtempSync(join(tmpdir(), 'mongo-standin-checkout-bench-'));
const profile = values['cpu-prof-dir'] ? ['--cpu-prof', `--cpu-prof-dir=${values['cpu-prof-dir']}`] : [];
const standin = spawn(process.execPath, [...profile, 'infra/mongo-standin/dist/cli.js', '--port', '0', '--data-dir', dataDir], { stdio: ['ignore', 'pipe', 'inherit'] });
try {
  const lines = createInterface({ input: standin.stdout! });
  let address: string | undefined;
  for await (const line of lines) {
    address = /listening on (\S+?),/.exec(line)?.[1];
    if (address) break;
  }
  const client = await new MongoClient(`mongodb://${address}/`, { maxPoolSize: BUYERS + 2 }).connect();
  const db = client.db('products');
  await prepare(db);
  let reservations = 0;
  const buyer = async (name: number, until: number) => {
    for (let at = 0; performance.now() < until; at += 1) {
      await reserveOnce(client, db, `r-${name}-${at}-${Date.now()}`);
      reservations += 1;
    }
  };
  const warmUntil = performance.now() + 1000;
  await Promise.all([relay(db, warmUntil), ...Array.from({ length: BUYERS }, (_, name) => buyer(name, warmUntil))]);
  reservations = 0;
  const seconds = Number(values.seconds);
  const before = cpuSeconds(standin.pid!);
  const until = performance.now() + seconds * 1000;
  await Promise.all([relay(db, until), ...Array.from({ length: BUYERS }, (_, name) => buyer(name + 100, until))]);
  const used = cpuSeconds(standin.pid!) - before;
  console.log(`${reservations} reservation transactions in ${seconds} s (${(reservations / seconds).toFixed(0)}/s); stand-in CPU ${((used * 1000) / reservations).toFixed(2)} ms per reservation`);
  await client.close();
} finally {
  standin.kill('SIGTERM');
  await once(standin, 'exit');
  rmSync(dataDir, { recursive: true, force: true });
}
