import { create, toBinary, type DescMethodUnary, type DescService } from '@bufbuild/protobuf';
import { Code, ConnectError, createClient } from '@connectrpc/connect';
import { grpcTransport } from '../../clients/client-factory.js';
import { generateRequest } from './request-generator.js';
import { Random } from './random.js';
import { rawConnectCall, rawGrpcCall, rawGrpcSession, type RawOutcome } from './raw-calls.js';

/** A server to fuzz: its service, gRPC address and, for the gateway, its Connect URL. */
export interface FuzzTarget {
  readonly service: DescService;
  readonly address: string;
  readonly connectUrl?: string;
  /** Header sets to send, one picked per call (for example bearer tokens of different callers). */
  readonly headerChoices?: ReadonlyArray<Record<string, string>>;
}

/** How much to send and how. */
export interface FuzzOptions {
  readonly requests: number;
  readonly seed?: number;
  readonly concurrency?: number;
  /** The deadline each call carries; an answer later than this (plus 2 s) is a hang. */
  readonly timeoutMs?: number;
  /** Real ids and names mixed into generated strings, so calls reach real entities. */
  readonly knownStrings?: readonly string[];
}

/** A call whose answer breaks the rules: INTERNAL, UNKNOWN, DEADLINE_EXCEEDED or no answer. */
export interface FuzzFailure {
  readonly method: string;
  readonly kind: string;
  readonly code: string;
  readonly message: string;
}

/** Counts by status code name, and the calls that broke the rules. */
export interface FuzzReport {
  readonly total: number;
  readonly byCode: Record<string, number>;
  readonly failures: FuzzFailure[];
}

/** The codes no request may ever get. */
export const forbiddenCodes = new Set(['Internal', 'Unknown', 'DeadlineExceeded', 'Hang']);

type Kind = 'generated' | 'undecodable-frame' | 'malformed-connect';

/** Sends generated, undecodable and malformed requests to every method of every target and tallies the answers. */
export async function runFuzz(targets: readonly FuzzTarget[], options: FuzzOptions): Promise<FuzzReport> {
  const random = new Random(options.seed ?? 1);
  const timeoutMs = options.timeoutMs ?? 10_000;
  const prepared = targets.map((target) => ({ target, client: createClient(target.service, grpcTransport(target.address)) as unknown as Record<string, Caller>, session: rawGrpcSession(target.address) }));
  const byCode: Record<string, number> = {};
  const failures: FuzzFailure[] = [];
  let sent = 0;
  const worker = async () => {
    while (sent < options.requests) {
      sent += 1;
      const { target, client, session } = random.pick(prepared);
      const method = random.pick(target.service.methods) as DescMethodUnary;
      const kind: Kind = random.pick(target.connectUrl ? ['generated', 'generated', 'undecodable-frame', 'malformed-connect'] : ['generated', 'generated', 'generated', 'undecodable-frame']);
      const outcome = await send(kind, { target, client, session, method, random, timeoutMs, knownStrings: options.knownStrings ?? [] });
      byCode[outcome.code] = (byCode[outcome.code] ?? 0) + 1;
      if (forbiddenCodes.has(outcome.code)) failures.push({ method: `${target.service.typeName}/${method.name}`, kind, ...outcome });
    }
  };
  try {
    await Promise.all(Array.from({ length: options.concurrency ?? 8 }, worker));
  } finally {
    for (const { session } of prepared) session.close();
  }
  return { total: sent, byCode, failures };
}

type Caller = (request: unknown, options: { timeoutMs: number; headers?: Record<string, string> }) => Promise<unknown>;

interface Shot {
  readonly target: FuzzTarget;
  readonly client: Record<string, Caller>;
  readonly session: ReturnType<typeof rawGrpcSession>;
  readonly method: DescMethodUnary;
  readonly random: Random;
  readonly timeoutMs: number;
  readonly knownStrings: readonly string[];
}

function send(kind: Kind, shot: Shot): Promise<RawOutcome> {
  const path = `/${shot.target.service.typeName}/${shot.method.name}`;
  if (kind === 'undecodable-frame') return rawGrpcCall(shot.session, path, undecodablePayload(shot), shot.timeoutMs);
  if (kind === 'malformed-connect') {
    const [body, contentType] = shot.random.pick(malformedConnectBodies(shot));
    return rawConnectCall(`${shot.target.connectUrl}${path}`, body, contentType, shot.timeoutMs);
  }
  return generatedCall(shot);
}

async function generatedCall(shot: Shot): Promise<RawOutcome> {
  const { method, random } = shot;
  const headers = shot.target.headerChoices ? random.pick(shot.target.headerChoices) : undefined;
  try {
    const request = create(method.input, generateRequest(method.input, random, shot.knownStrings) as never);
    await shot.client[method.localName]!(request, { timeoutMs: shot.timeoutMs, ...(headers ? { headers } : {}) });
    return { code: 'Ok', message: '' };
  } catch (error) {
    const connectError = ConnectError.from(error);
    return { code: Code[connectError.code] ?? String(connectError.code), message: connectError.rawMessage.slice(0, 300) };
  }
}

/** Bytes that are not a valid encoding of any message: bad wire types, truncated varints and lengths, random noise. */
function undecodablePayload(shot: Shot): Uint8Array {
  const { random } = shot;
  const valid = toBinary(shot.method.input, create(shot.method.input, generateRequest(shot.method.input, random, []) as never));
  return random.pick<() => Uint8Array>([
    () => Uint8Array.of(0x0a, 0xff, 0xff, 0xff, 0xff, 0x0f),
    () => Uint8Array.of(0x0f),
    () => Uint8Array.of(0x08, 0xff, 0xff, 0xff),
    () => Uint8Array.of(0x00, 0x00),
    () => random.bytes(1 + random.below(64)),
    () => valid.subarray(0, Math.max(1, valid.byteLength - 1)),
    () => Uint8Array.from([...valid, 0x0a, 0x05, 0x01]),
  ])();
}

function malformedConnectBodies(shot: Shot): Array<[Uint8Array | string, string]> {
  const garbage = shot.random.bytes(1 + shot.random.below(32));
  return [
    ['{', 'application/json'],
    ['[]', 'application/json'],
    ['null', 'application/json'],
    ['"text"', 'application/json'],
    ['{"pageSize":"many","productId":{"nested":true}}', 'application/json'],
    ['{"quantity":1e400}', 'application/json'],
    ['{"noSuchField":1}', 'application/json'],
    ['['.repeat(50_000), 'application/json'],
    [Uint8Array.of(0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d), 'application/json'],
    [garbage, 'application/proto'],
    [Uint8Array.of(0x0a, 0xff, 0xff, 0xff, 0xff, 0x0f), 'application/proto'],
    [Uint8Array.of(0, 0, 0, 0, 3, 0x0a, 0xff, 0xff), 'application/grpc-web+proto'],
    ['{}', 'text/plain'],
  ];
}
