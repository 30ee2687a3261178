import { afterEach, describe, expect, it } from '@jest/globals';
import { appendFile, mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BinaryWriter } from '@bufbuild/protobuf/wire';
import { startOtlpReceiver, type OtlpReceiver } from '../src/tracing/otlp-receiver.js';
import { readSpans } from '../src/tracing/span-file.js';

/** An OTLP ExportTraceServiceRequest in protobuf binary: one resource (service.name) with one span per name. */
function protobufExport(service: string, traceId: Buffer, names: readonly string[]): Uint8Array {
  const attribute = new BinaryWriter().tag(1, 2).string('service.name').tag(2, 2).bytes(new BinaryWriter().tag(1, 2).string(service).finish()).finish();
  const resource = new BinaryWriter().tag(1, 2).bytes(attribute).finish();
  const scope = new BinaryWriter();
  names.forEach((name, index) => {
    const span = new BinaryWriter().tag(1, 2).bytes(traceId).tag(2, 2).bytes(Buffer.alloc(8, index + 1)).tag(5, 2).string(name).tag(6, 0).int32(2).finish();
    scope.tag(2, 2).bytes(span);
  });
  const resourceSpans = new BinaryWriter().tag(1, 2).bytes(resource).tag(2, 2).bytes(scope.finish()).finish();
  return new BinaryWriter().tag(1, 2).bytes(resourceSpans).finish();
}

const jsonExport = (service: string, traceId: string, name: string) =>
  JSON.stringify({
    resourceSpans: [
      {
        resource: { attributes: [{ key: 'service.name', value: { stringValue: service } }] },
        scopeSpans: [{ spans: [{ traceId, spanId: '0102030405060708', name, kind: 3, startTimeUnixNano: '1', endTimeUnixNano: '2' }] }],
      },
    ],
  });

describe('the local OTLP/HTTP receiver', () => {
  let dataDir = '';
  let receiver: OtlpReceiver | undefined;
  const post = (body: Uint8Array | string, contentType: string) => fetch(`${receiver!.endpoint}/v1/traces`, { method: 'POST', headers: { 'content-type': contentType }, body });

  afterEach(async () => {
    await receiver?.close();
    receiver = undefined;
    await rm(dataDir, { recursive: true, force: true });
  });

  it('stores protobuf and JSON exports as they arrive and gives back their spans when read, in order', async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'otlp-receiver-'));
    receiver = await startOtlpReceiver({ host: '127.0.0.1', port: 0, dataDir });
    const traceId = Buffer.alloc(16, 0xab);
    expect((await post(protobufExport('orders', traceId, ['CreateOrder', 'saga.reserve']), 'application/x-protobuf')).status).toBe(200);
    expect((await post(jsonExport('gateway', 'cd'.repeat(16), 'PlaceOrder'), 'application/json')).status).toBe(200);
    const spans = await readSpans(receiver.spansFile);
    expect(spans.map(({ service, name, traceId: id, kind }) => ({ service, name, id, kind }))).toEqual([
      { service: 'orders', name: 'CreateOrder', id: 'ab'.repeat(16), kind: 2 },
      { service: 'orders', name: 'saga.reserve', id: 'ab'.repeat(16), kind: 2 },
      { service: 'gateway', name: 'PlaceOrder', id: 'cd'.repeat(16), kind: 3 },
    ]);
  });

  it('answers 400 to an export it could not read later, and stores nothing of it', async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'otlp-receiver-'));
    receiver = await startOtlpReceiver({ host: '127.0.0.1', port: 0, dataDir });
    expect((await post(new Uint8Array([0x0a, 0x7f, 0x01]), 'application/x-protobuf')).status).toBe(400);
    expect((await post('{"resourceSpans": [', 'application/json')).status).toBe(400);
    expect(await readSpans(receiver.spansFile)).toEqual([]);
  });

  it('cuts an export left half-written by a stopped receiver, so the exports received after a restart are read', async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'otlp-receiver-'));
    receiver = await startOtlpReceiver({ host: '127.0.0.1', port: 0, dataDir });
    await post(protobufExport('users', Buffer.alloc(16, 1), ['GetUser']), 'application/x-protobuf');
    await receiver.close();
    const { spansFile } = receiver;
    const complete = (await stat(spansFile)).size;
    await appendFile(spansFile, Buffer.from([0x70, 0, 0, 1, 0, 0x0a, 0x03]));
    receiver = await startOtlpReceiver({ host: '127.0.0.1', port: 0, dataDir });
    expect((await stat(spansFile)).size).toBe(complete);
    await post(protobufExport('cart', Buffer.alloc(16, 2), ['GetCart']), 'application/x-protobuf');
    expect((await readSpans(spansFile)).map((span) => `${span.service} ${span.name}`)).toEqual(['users GetUser', 'cart GetCart']);
  });
});
