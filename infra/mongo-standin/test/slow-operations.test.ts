import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { MongoClient } from 'mongodb';
import { startMongoStandin } from '../src/index.js';
import { SlowOperationLog, type SlowOperationOptions } from '../src/slow-operations.js';
import { Journal } from '../src/storage/journal.js';
import { temporaryDataDir } from './harness.js';

/** Resolves once `lines` holds a line matching `pattern`, or fails after `boundMs`. */
async function lineMatching(lines: string[], pattern: RegExp, boundMs = 10_000): Promise<string> {
  for (const deadline = Date.now() + boundMs; Date.now() < deadline; await new Promise((resolve) => setTimeout(resolve, 20))) {
    const line = lines.find((candidate) => pattern.test(candidate));
    if (line) return line;
  }
  throw new Error(`no line matching ${pattern} in ${JSON.stringify(lines)}`);
}

describe('slow and unanswered commands in the log', () => {
  const dataDirs: string[] = [];
  afterAll(() => dataDirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

  /** Runs `use` against a stand-in of its own with the given thresholds, collecting its log lines. */
  async function withStandin(slowOperations: SlowOperationOptions, use: (client: MongoClient, lines: string[]) => Promise<void>): Promise<void> {
    const dataDir = temporaryDataDir();
    dataDirs.push(dataDir);
    const lines: string[] = [];
    const standin = await startMongoStandin({ port: 0, dataDir, log: (line) => lines.push(line), slowOperations });
    const client = await new MongoClient(standin.url, { serverSelectionTimeoutMS: 5_000 }).connect();
    try {
      await use(client, lines);
    } finally {
      await client.close();
      await standin.close();
    }
  }

  it('logs a command answered after the slow-query threshold, with its name, database and connection', async () => {
    await withStandin({ slowMs: 0, stuckMs: 5_000 }, async (client, lines) => {
      await client.db('shop_slow').collection('things').insertOne({ name: 'one' });
      expect(await lineMatching(lines, /^conn\d+: slow query: insert on shop_slow took \d+ ms \(\d+ ms running, \d+ ms waiting for the journal\)$/)).toBeDefined();
    });
  });

  it('logs nothing for commands under the threshold', async () => {
    await withStandin({ slowMs: 60_000, stuckMs: 60_000 }, async (client, lines) => {
      await client.db('shop_quick').collection('things').insertOne({ name: 'one' });
      await client.db('shop_quick').collection('things').findOne({ name: 'one' });
      expect(lines.filter((line) => /slow query|unanswered/.test(line))).toEqual([]);
    });
  });

  it('reports a command still unanswered once, with what durability waits for, then as slow when it is answered', async () => {
    const lines: string[] = [];
    const operations = new SlowOperationLog((line) => lines.push(line), () => 'journal: 3 entries not yet durable, a write and fdatasync running for 40 ms', { slowMs: 1_000, stuckMs: 30 });
    try {
      const waiting = operations.begin('collMod', 'products', 7);
      operations.executed(waiting);
      const running = operations.begin('listCollections', 'products', 9);
      const answered = operations.begin('find', 'products', 8);
      operations.end(answered);
      expect(await lineMatching(lines, /^conn7: /)).toMatch(/^conn7: collMod on products unanswered after \d+ ms, waiting for the journal; journal: 3 entries not yet durable, a write and fdatasync running for 40 ms$/);
      expect(await lineMatching(lines, /^conn9: /)).toMatch(/^conn9: listCollections on products unanswered after \d+ ms, still running; journal: /);
      operations.end(running);
      await new Promise((resolve) => setTimeout(resolve, 1_100));
      expect(lines.filter((line) => /^conn7: .*unanswered/.test(line))).toHaveLength(1);
      operations.end(waiting);
      expect(lines.at(-1)).toMatch(/^conn7: slow query: collMod on products took \d+ ms \(0 ms running, \d+ ms waiting for the journal\)$/);
      expect(lines.some((line) => line.startsWith('conn8:'))).toBe(false);
    } finally {
      operations.close();
    }
  });

  it('the journal tells how many entries wait and whether a write is running', async () => {
    const dataDir = temporaryDataDir();
    dataDirs.push(dataDir);
    const journal = await Journal.open(join(dataDir, 'journal.bson'), 0);
    try {
      expect(journal.describe()).toBe('0 entries not yet durable, no write running');
      journal.append({ ops: [] });
      expect(journal.describe()).toBe('1 entry not yet durable, no write running');
      const syncing = journal.sync();
      expect(journal.describe()).toMatch(/^1 entry not yet durable, a write and fdatasync running for \d+ ms$/);
      await syncing;
      expect(journal.describe()).toBe('0 entries not yet durable, no write running');
    } finally {
      await journal.close();
    }
  });
});
