import { createServer, type IncomingMessage, type Server } from 'node:http';
import { appendFile, mkdir } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';
import { checkExport, cutUnfinishedRecord, exportRecord, type ExportEncoding } from './span-records.js';

const unzip = promisify(gunzip);
const maxBodyBytes = 16 * 1024 * 1024;

/** A running local OTLP/HTTP receiver. */
export interface OtlpReceiver {
  /** The base URL to give as OTEL_EXPORTER_OTLP_ENDPOINT. */
  readonly endpoint: string;
  /** The file trace exports are appended to, as they arrived (read it with readSpans). */
  readonly spansFile: string;
  close(): Promise<void>;
}

/** The file the receiver keeps spans in under a data folder. */
export function spansFileOf(dataDir: string): string {
  return join(dataDir, 'traces', 'spans.otlp');
}

/**
 * Receives OTLP/HTTP exports: traces (http/protobuf and http/json, gzip or not) are appended as they arrived to
 * <dataDir>/traces/spans.otlp, and decoded only when read (npm run trace), so the running system pays for no decoding;
 * metrics and logs are acknowledged and dropped (metrics are read from /metrics).
 */
export async function startOtlpReceiver(options: { host: string; port: number; dataDir: string }): Promise<OtlpReceiver> {
  const spansFile = spansFileOf(options.dataDir);
  await mkdir(join(options.dataDir, 'traces'), { recursive: true });
  await cutUnfinishedRecord(spansFile);
  let writing = Promise.resolve();
  const store = (encoding: ExportEncoding, body: Buffer) => {
    checkExport(encoding, body);
    const record = exportRecord(encoding, body);
    writing = writing.then(() => appendFile(spansFile, record));
    return writing;
  };
  const server: Server = createServer((request, response) => {
    const path = (request.url ?? '').split('?')[0];
    const json = (request.headers['content-type'] ?? '').startsWith('application/json');
    const answer = (status: number, message?: string) => {
      if (message) response.writeHead(status, { 'content-type': 'text/plain' }).end(message);
      else if (json) response.writeHead(status, { 'content-type': 'application/json' }).end('{}');
      else response.writeHead(status, { 'content-type': 'application/x-protobuf' }).end();
    };
    if (request.method !== 'POST' || !['/v1/traces', '/v1/metrics', '/v1/logs'].includes(path ?? '')) return answer(404, 'not an OTLP/HTTP path');
    readBody(request)
      .then(async (body) => {
        if (path === '/v1/traces') await store(json ? 'json' : 'protobuf', body);
        answer(200);
      })
      .catch((error: unknown) => answer(400, `undecodable OTLP request: ${error instanceof Error ? error.message : String(error)}`));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error) => reject(new Error(`OTLP receiver cannot listen on ${options.host}:${options.port}: ${error.message}`)));
    server.listen(options.port, options.host, resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://${options.host}:${port}`,
    spansFile,
    close: async () => {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      });
      await writing;
    },
  };
}

async function readBody(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBodyBytes) throw new Error(`body over ${maxBodyBytes} bytes`);
    chunks.push(chunk);
  }
  const body = Buffer.concat(chunks);
  return request.headers['content-encoding'] === 'gzip' ? unzip(body) : body;
}
