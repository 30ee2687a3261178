import { execFile } from 'node:child_process';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { percentile } from '../support/stats.js';

const run = promisify(execFile);

/** One unary gRPC method driven by h2load: its path, the request message's bytes and any extra headers. */
export interface UnaryTarget {
  readonly name: string;
  readonly address: string;
  /** `/package.Service/Method`. */
  readonly path: string;
  readonly message: Uint8Array;
  readonly headers?: Record<string, string>;
}

/** Figures of one h2load run; latencies from its per-request log. */
export interface LoadFigures {
  readonly requestsPerSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly requests: number;
  /** Requests answered with an HTTP status other than 200. */
  readonly failed: number;
  /** Requests still in flight when the measured time ended (h2load logs them with status 0). */
  readonly unfinished: number;
}

/**
 * How hard h2load pushes: connections and concurrent streams per connection, for `seconds` measured after a warm-up
 * (as fast as answers come, or at most ratePerConnection requests a second on each connection), or, with `requests`,
 * that many requests one after another (every one completes, however slow).
 */
export type LoadShape =
  | { readonly connections: number; readonly streams: number; readonly seconds: number; readonly warmUpSeconds: number; readonly ratePerConnection?: number }
  | { readonly connections: 1; readonly streams: 1; readonly requests: number };

/** The message in gRPC's length-prefixed framing (uncompressed), as the request body h2load sends. */
export function grpcFrame(message: Uint8Array): Buffer {
  const frame = Buffer.alloc(5 + message.length);
  frame.writeUInt32BE(message.length, 1);
  frame.set(message, 5);
  return frame;
}

/** Parses h2load's --log-file (start µs, HTTP status, duration µs per line) into figures over `seconds` (default: first start to last end). */
export function figuresFromLog(log: string, seconds?: number): LoadFigures {
  const rows = log
    .split('\n')
    .filter(Boolean)
    .map((line) => line.split('\t').map(Number) as [number, number, number]);
  seconds ??= rows.length === 0 ? 1 : (Math.max(...rows.map(([start, , micros]) => start + micros)) - Math.min(...rows.map(([start]) => start))) / 1e6;
  const ok = rows.filter(([, status]) => status === 200);
  const unfinished = rows.filter(([, status]) => status === 0).length;
  const latencies = ok.map(([, , micros]) => micros / 1000).sort((a, b) => a - b);
  return { requestsPerSecond: ok.length / seconds, p50Ms: percentile(latencies, 50), p99Ms: percentile(latencies, 99), requests: rows.length, failed: rows.length - ok.length - unfinished, unfinished };
}

/** Runs h2load against the target for the shape's duration and returns req/s, p50 and p99 of the completed requests. */
export async function h2load(target: UnaryTarget, shape: LoadShape): Promise<LoadFigures> {
  const stem = join(tmpdir(), `shop-load-${process.pid}-${target.name.replace(/\W+/g, '-')}-${shape.connections}x${shape.streams}`);
  await writeFile(`${stem}.body`, grpcFrame(target.message));
  const headers = { 'content-type': 'application/grpc', te: 'trailers', ...target.headers };
  try {
    await run(
      'h2load',
      [
        ...['-c', String(shape.connections), '-m', String(shape.streams), '-t', '1'],
        ...('requests' in shape ? ['-n', String(shape.requests)] : ['-D', String(shape.seconds), '--warm-up-time', String(shape.warmUpSeconds)]),
        ...('ratePerConnection' in shape && shape.ratePerConnection ? ['--rps', String(shape.ratePerConnection)] : []),
        ...['-d', `${stem}.body`, `--log-file=${stem}.log`],
        ...Object.entries(headers).flatMap(([name, value]) => ['-H', `${name}: ${value}`]),
        `http://${target.address}${target.path}`,
      ],
      { maxBuffer: 16 * 1024 * 1024 },
    );
    return figuresFromLog(await readFile(`${stem}.log`, 'utf8'), 'seconds' in shape ? shape.seconds : undefined);
  } finally {
    await rm(`${stem}.body`, { force: true });
    await rm(`${stem}.log`, { force: true });
  }
}

/** The parseArgs options of a timed h2load shape (--seconds, --connections, --streams), with the load bench's defaults. */
export const TIMED_SHAPE_OPTIONS = {
  seconds: { type: 'string', default: '5' },
  connections: { type: 'string', default: '4' },
  streams: { type: 'string', default: '16' },
} as const;

/** The timed shape those options give, with a 1 s warm-up. */
export function timedShape(values: { seconds?: string; connections?: string; streams?: string }): Extract<LoadShape, { seconds: number }> {
  return { connections: Number(values.connections), streams: Number(values.streams), seconds: Number(values.seconds), warmUpSeconds: 1 };
}
