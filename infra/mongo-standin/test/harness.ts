import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { it } from '@jest/globals';
import { MongoClient, type Db, type Document, type MongoClientOptions, type ObjectId } from 'mongodb';
import { startMongoStandin, type MongoStandin } from '../src/index.js';

/** A server for one test file: MONGO_TEST_URL when set, otherwise a stand-in started on port 0 with a temp data dir. */
export interface TestServer {
  url: string;
  client: MongoClient;
  /** Set only when this suite started the stand-in itself (restart/kill tests need it). */
  standin?: MongoStandin;
  dataDir?: string;
  /** Lines the stand-in logged (empty against an external server). */
  logLines: string[];
  db(name: string): Db;
  stop(): Promise<void>;
}

/** Whether the suite runs against a server it did not start. */
export const usesExternalServer = Boolean(process.env.MONGO_TEST_URL);

/** `it` for tests that need a stand-in this suite started itself (skipped against MONGO_TEST_URL). */
export const itWithOwnServer = usesExternalServer ? it.skip : it;

/** A fresh temp folder for stand-in data. */
export function temporaryDataDir(): string {
  return mkdtempSync(join(tmpdir(), 'mongo-standin-test-'));
}

/** Connects the official driver to the server under test. */
export async function openTestServer(clientOptions: MongoClientOptions = {}): Promise<TestServer> {
  const external = process.env.MONGO_TEST_URL;
  const dataDir = external ? undefined : temporaryDataDir();
  const logLines: string[] = [];
  const standin = dataDir ? await startMongoStandin({ port: 0, dataDir, log: (line) => logLines.push(line) }) : undefined;
  const url = external ?? (standin as MongoStandin).url;
  const client = await new MongoClient(url, { serverSelectionTimeoutMS: 5000, ...clientOptions }).connect();
  return {
    url,
    client,
    standin,
    dataDir,
    logLines,
    db: (name) => client.db(name),
    async stop() {
      await client.close();
      await standin?.close();
      if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A database name unique to one test run, so suites never share state on a real server. */
export function uniqueDbName(prefix: string): string {
  return `${prefix}_${process.pid}_${Date.now().toString(36)}`;
}

/** Documents whose `_id` may be of any type, as the tests choose. */
export interface AnyDocument extends Document {
  _id?: string | number | ObjectId;
}

/** The error a promise rejects with, or undefined when it resolves. */
export async function failureOf(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => undefined,
    (error: unknown) => error,
  );
}
