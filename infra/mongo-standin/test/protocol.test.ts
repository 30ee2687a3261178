import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { connect } from 'node:net';
import { BSON, MongoClient, type Document } from 'mongodb';
import { itWithOwnServer, openTestServer, uniqueDbName, type TestServer } from './harness.js';

const OP_MSG = 2013;

function header(length: number, opCode: number): Buffer {
  const bytes = Buffer.alloc(16);
  bytes.writeInt32LE(length, 0);
  bytes.writeInt32LE(1, 4);
  bytes.writeInt32LE(0, 8);
  bytes.writeInt32LE(opCode, 12);
  return bytes;
}

/** An OP_MSG whose body section is the given bytes. */
function opMsg(body: Buffer): Buffer {
  const sections = Buffer.concat([Buffer.alloc(4), Buffer.from([0]), body]);
  return Buffer.concat([header(16 + sections.length, OP_MSG), sections]);
}

function hostAndPort(url: string): { host: string; port: number } {
  const { hostname, port } = new URL(url.split(',')[0] as string);
  return { host: hostname, port: Number(port || 27017) };
}

/** Sends raw bytes; resolves 'closed' if the server closes the connection, 'open' if it is still open after the wait. */
async function sendRaw(url: string, bytes: Buffer, endAfterSend = false, waitMs = 1500): Promise<'closed' | 'open'> {
  const socket = connect(hostAndPort(url));
  await new Promise<void>((resolve) => socket.once('connect', resolve));
  socket.on('error', () => undefined);
  const outcome = new Promise<'closed' | 'open'>((resolve) => {
    socket.once('close', () => resolve('closed'));
    setTimeout(() => resolve('open'), waitMs);
  });
  socket.write(bytes);
  if (endAfterSend) socket.end();
  const result = await outcome;
  socket.destroy();
  return result;
}

/** An OP_MSG with a body and one document-sequence section (kind 1). */
function opMsgWithSequence(body: Document, identifier: string, documents: Document[]): Buffer {
  const sequence = Buffer.concat([Buffer.from(`${identifier}\0`), ...documents.map((document) => Buffer.from(BSON.serialize(document)))]);
  const sequenceSize = Buffer.alloc(4);
  sequenceSize.writeInt32LE(4 + sequence.length, 0);
  const sections = Buffer.concat([Buffer.alloc(4), Buffer.from([0]), BSON.serialize(body), Buffer.from([1]), sequenceSize, sequence]);
  return Buffer.concat([header(16 + sections.length, OP_MSG), sections]);
}

/** Sends one request and decodes the body of the OP_MSG reply. */
async function roundTrip(url: string, request: Buffer): Promise<Document> {
  const socket = connect(hostAndPort(url));
  let received = Buffer.alloc(0);
  try {
    return await new Promise<Document>((resolve, reject) => {
      socket.on('error', reject);
      socket.on('data', (chunk: Buffer) => {
        received = Buffer.concat([received, chunk]);
        if (received.length >= 4 && received.length >= received.readInt32LE(0)) resolve(BSON.deserialize(received.subarray(21)));
      });
      socket.write(request);
    });
  } finally {
    socket.destroy();
  }
}

describe('wire protocol edge cases', () => {
  let server: TestServer;
  const dbName = uniqueDbName('protocol');

  beforeAll(async () => {
    server = await openTestServer();
  });
  afterAll(async () => {
    await server.db(dbName).dropDatabase();
    await server.stop();
  });

  it('applies unacknowledged (w: 0) writes, which get no reply, in order on their connection', async () => {
    const client = await new MongoClient(server.url, { maxPoolSize: 1, serverSelectionTimeoutMS: 5000 }).connect();
    try {
      const notes = client.db(dbName).collection('notes');
      await notes.insertOne({ text: 'fire and forget' }, { writeConcern: { w: 0 } });
      expect(await notes.countDocuments({ text: 'fire and forget' })).toBe(1);
    } finally {
      await client.db(dbName).dropDatabase();
      await client.close();
    }
  });

  it('reads documents from an OP_MSG document-sequence section', async () => {
    const request = opMsgWithSequence({ insert: 'sequenced', $db: dbName }, 'documents', [{ _id: 1 }, { _id: 2 }]);
    expect(await roundTrip(server.url, request)).toMatchObject({ ok: 1, n: 2 });
    expect(await server.db(dbName).collection('sequenced').countDocuments()).toBe(2);
  });

  it('closes a connection that announces an impossibly large message', async () => {
    expect(await sendRaw(server.url, header(0x7fffffff, OP_MSG))).toBe('closed');
  });

  it('closes a connection that announces a length shorter than a header', async () => {
    expect(await sendRaw(server.url, header(4, OP_MSG))).toBe('closed');
  });

  it('closes a connection whose OP_MSG body is not valid BSON', async () => {
    const badBson = Buffer.from([0x10, 0x00, 0x00, 0x00, 0x02, 0x61, 0x00, 0xff, 0xff, 0xff, 0x7f, 0x00, 0x00, 0x00, 0x00, 0x00]);
    expect(await sendRaw(server.url, opMsg(badBson))).toBe('closed');
  });

  it('closes a connection using an opcode it does not speak (OP_COMPRESSED is not advertised)', async () => {
    expect(await sendRaw(server.url, Buffer.concat([header(16 + 9, 2012), Buffer.alloc(9)]))).toBe('closed');
  });

  itWithOwnServer('logs why it closed a connection', async () => {
    await sendRaw(server.url, header(3, OP_MSG));
    expect(server.logLines.some((line) => /closing after malformed message: message length 3/.test(line))).toBe(true);
  });

  it('waits for the rest of a truncated header without answering or failing', async () => {
    expect(await sendRaw(server.url, header(64, OP_MSG).subarray(0, 7), false, 500)).toBe('open');
  });

  it('keeps serving other clients after random garbage on many connections', async () => {
    const garbage = Array.from({ length: 30 }, (_, at) => {
      const bytes = randomBytes(8 + at * 7);
      if (at % 2 === 0) bytes.writeInt32LE(bytes.length, 0);
      return bytes;
    });
    await Promise.all(garbage.map((bytes) => sendRaw(server.url, bytes, true, 300)));
    expect((await server.db('admin').command({ ping: 1 })).ok).toBe(1);
  });
});
