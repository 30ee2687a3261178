import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { it } from '@jest/globals';
import { Client, errors } from '@elastic/elasticsearch';
import { startEsStandin, type EsStandin } from '../src/index.js';

/** The server under test: ES_TEST_URL when set, otherwise a stand-in this suite started on port 0 with a temp data dir. */
export interface TestServer {
  client: Client;
  url: string;
  /** Restarts the stand-in over the same data folder (only when the suite started it) and reconnects the client. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

/** Whether the suite runs against a server it did not start. */
export const usesExternalServer = Boolean(process.env['ES_TEST_URL']);

/** `it` for tests that need a stand-in the suite started itself (skipped against ES_TEST_URL). */
export const itWithOwnServer = usesExternalServer ? it.skip : it;

/** Starts or connects to the server under test. */
export async function openTestServer(): Promise<TestServer> {
  const external = process.env['ES_TEST_URL'];
  const dataDir = external ? undefined : mkdtempSync(join(tmpdir(), 'es-standin-test-'));
  let standin: EsStandin | undefined = dataDir ? await startEsStandin({ port: 0, dataDir, log: () => undefined }) : undefined;
  const server: TestServer = {
    client: new Client({ node: external ?? standin!.url }),
    url: external ?? standin!.url,
    async restart() {
      if (!standin || !dataDir) throw new Error('restart needs a stand-in started by the suite');
      await server.client.close();
      await standin.close();
      standin = await startEsStandin({ port: 0, dataDir, log: () => undefined });
      server.url = standin.url;
      server.client = new Client({ node: standin.url });
    },
    async stop() {
      await server.client.close();
      await standin?.close();
      if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return server;
}

/** An index name unique to this run, so suites never share state on a real server. */
export function uniqueIndexName(prefix: string): string {
  return `${prefix}-${process.pid}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 7)}`;
}

/** An Elasticsearch error body, or the body of a 404 document reply. */
export interface FailureBody {
  error: { type: string; reason: string; index?: string; root_cause: { type: string; index?: string }[] };
  status: number;
  found?: boolean;
  result?: string;
  _index?: string;
  _id?: string;
}

/** The HTTP status and error body of a failed client call. */
export async function failureOf(call: Promise<unknown>): Promise<{ status: number; body: FailureBody }> {
  try {
    await call;
  } catch (error) {
    if (error instanceof errors.ResponseError) return { status: error.meta.statusCode ?? 0, body: error.meta.body as FailureBody };
    throw error;
  }
  throw new Error('expected the call to fail');
}

/** Ids of search hits, in order. */
export function hitIds(response: { hits: { hits: { _id?: string | null }[] } }): string[] {
  return response.hits.hits.map((hit) => hit._id ?? '');
}
