import { describe, expect, afterAll } from '@jest/globals';
import { spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync, existsSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MongoClient } from 'mongodb';
import { startMongoStandin, type MongoStandin } from '../src/index.js';
import { itWithOwnServer, temporaryDataDir, type AnyDocument } from './harness.js';

const CLI = fileURLToPath(new URL('../src/cli.ts', import.meta.url));

/** Starts the CLI as a child process and resolves with it and the port from its startup line. */
async function startCli(dataDir: string): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(process.execPath, ['--import', 'tsx', CLI, '--port', '0', '--data-dir', dataDir], { stdio: ['ignore', 'pipe', 'pipe'] });
  const port = await new Promise<number>((resolve, reject) => {
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening on [^\s]+:(\d+)/.exec(output);
      if (match) resolve(Number(match[1]));
    });
    child.once('exit', (code) => reject(new Error(`stand-in exited early (${code}): ${output}`)));
  });
  return { child, port };
}

async function withClient<T>(url: string, use: (client: MongoClient) => Promise<T>): Promise<T> {
  const client = await new MongoClient(url, { serverSelectionTimeoutMS: 5000 }).connect();
  try {
    return await use(client);
  } finally {
    await client.close();
  }
}

describe('durability of acknowledged writes', () => {
  const dataDirs: string[] = [];
  const freshDataDir = (): string => {
    const dir = temporaryDataDir();
    dataDirs.push(dir);
    return dir;
  };
  afterAll(() => {
    for (const dir of dataDirs) rmSync(dir, { recursive: true, force: true });
  });

  itWithOwnServer('keeps documents, updates, deletes and unique indexes across a restart', async () => {
    const dataDir = freshDataDir();
    let standin: MongoStandin = await startMongoStandin({ port: 0, dataDir, log: () => undefined });
    await withClient(standin.url, async (client) => {
      const products = client.db('shop').collection<AnyDocument>('products');
      await products.createIndex({ sku: 1 }, { unique: true });
      await products.insertMany([{ _id: 1, sku: 'a', stock: 5 }, { _id: 2, sku: 'b', stock: 1 }, { _id: 3, sku: 'c' }]);
      await products.updateOne({ _id: 1 }, { $inc: { stock: -2 } });
      await products.deleteOne({ _id: 3 });
    });
    await standin.close();
    standin = await startMongoStandin({ port: 0, dataDir, log: () => undefined });
    await withClient(standin.url, async (client) => {
      const products = client.db('shop').collection<AnyDocument>('products');
      expect(await products.find().sort({ _id: 1 }).toArray()).toEqual([{ _id: 1, sku: 'a', stock: 3 }, { _id: 2, sku: 'b', stock: 1 }]);
      expect(await products.insertOne({ sku: 'a' }).catch((error: unknown) => error)).toMatchObject({ code: 11000 });
    });
    await standin.close();
  });

  itWithOwnServer('keeps every acknowledged write after kill -9 of the CLI process', async () => {
    const dataDir = freshDataDir();
    const first = await startCli(dataDir);
    await withClient(`mongodb://127.0.0.1:${first.port}/`, async (client) => {
      const orders = client.db('shop').collection<AnyDocument>('orders');
      await Promise.all(Array.from({ length: 100 }, (_, at) => orders.insertOne({ _id: at, state: 'new' })));
      await orders.updateMany({ _id: { $lt: 10 } }, { $set: { state: 'paid' } });
      const session = client.startSession();
      await session.withTransaction(async () => {
        await orders.deleteOne({ _id: 99 }, { session });
        await orders.insertOne({ _id: 'tx' }, { session });
      });
      await session.endSession();
    });
    const exited = new Promise((resolve) => first.child.once('exit', resolve));
    first.child.kill('SIGKILL');
    await exited;
    const second = await startCli(dataDir);
    try {
      await withClient(`mongodb://127.0.0.1:${second.port}/`, async (client) => {
        const orders = client.db('shop').collection<AnyDocument>('orders');
        expect(await orders.countDocuments()).toBe(100);
        expect(await orders.countDocuments({ state: 'paid' })).toBe(10);
        expect(await orders.findOne({ _id: 'tx' })).toEqual({ _id: 'tx' });
        expect(await orders.findOne({ _id: 99 })).toBeNull();
      });
    } finally {
      second.child.kill('SIGKILL');
    }
  });

  itWithOwnServer('folds the journal into a snapshot while running and restores from it', async () => {
    const dataDir = freshDataDir();
    let standin = await startMongoStandin({ port: 0, dataDir, log: () => undefined, compactAfterBytes: 2048 });
    await withClient(standin.url, async (client) => {
      const events = client.db('shop').collection<AnyDocument>('events');
      for (let at = 0; at < 60; at += 1) await events.insertOne({ _id: at, payload: 'x'.repeat(100) });
      await events.updateMany({ _id: { $gte: 50 } }, { $set: { late: true } });
    });
    expect(statSync(join(dataDir, 'journal.bson')).size).toBeLessThan(4096);
    expect(existsSync(join(dataDir, 'snapshot.bson'))).toBe(true);
    await standin.close();
    standin = await startMongoStandin({ port: 0, dataDir, log: () => undefined });
    await withClient(standin.url, async (client) => {
      const events = client.db('shop').collection<AnyDocument>('events');
      expect(await events.countDocuments()).toBe(60);
      expect(await events.countDocuments({ late: true })).toBe(10);
    });
    await standin.close();
  });

  itWithOwnServer('starts after a torn journal tail, keeping every complete entry', async () => {
    const dataDir = freshDataDir();
    let standin = await startMongoStandin({ port: 0, dataDir, log: () => undefined });
    await withClient(standin.url, (client) => client.db('shop').collection('kept').insertOne({ n: 1 }));
    await standin.close();
    appendFileSync(join(dataDir, 'journal.bson'), Buffer.from([0x40, 0x00, 0x00, 0x00, 0x03, 0x6f]));
    const lines: string[] = [];
    standin = await startMongoStandin({ port: 0, dataDir, log: (line) => lines.push(line) });
    await withClient(standin.url, async (client) => {
      expect(await client.db('shop').collection('kept').countDocuments()).toBe(1);
      await client.db('shop').collection('kept').insertOne({ n: 2 });
    });
    await standin.close();
    expect(lines.some((line) => /incomplete trailing entry/.test(line))).toBe(true);
    standin = await startMongoStandin({ port: 0, dataDir, log: () => undefined });
    await withClient(standin.url, async (client) => expect(await client.db('shop').collection('kept').countDocuments()).toBe(2));
    await standin.close();
  });
});
