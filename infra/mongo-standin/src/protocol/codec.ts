import { BSON, type Document } from 'bson';
import { frame, ProtocolError, type RawMessage } from './framing.js';

/** Opcodes the stand-in understands. */
export const OpCode = { REPLY: 1, QUERY: 2004, COMPRESSED: 2012, MSG: 2013 } as const;

const CHECKSUM_PRESENT = 1 << 0;
const MORE_TO_COME = 1 << 1;
const EXHAUST_ALLOWED = 1 << 16;
const KNOWN_FLAGS = CHECKSUM_PRESENT | MORE_TO_COME | EXHAUST_ALLOWED;
const REQUIRED_FLAG_BITS = 0xffff;

/** A decoded command request, whichever opcode carried it. */
export interface CommandRequest {
  opCode: number;
  requestId: number;
  command: Document;
  database: string;
  moreToCome: boolean;
}

/** Decodes a whole message into a command request; throws ProtocolError when it is malformed. */
export function decodeRequest(message: RawMessage): CommandRequest {
  try {
    if (message.header.opCode === OpCode.MSG) return decodeOpMsg(message);
    if (message.header.opCode === OpCode.QUERY) return decodeOpQuery(message);
  } catch (error) {
    if (error instanceof ProtocolError) throw error;
    throw new ProtocolError(`undecodable message: ${(error as Error).message}`);
  }
  throw new ProtocolError(`unsupported opCode ${message.header.opCode}`);
}

/** Encodes a reply in the form matching the request's opcode. */
export function encodeReply(request: CommandRequest, requestId: number, reply: Document): Buffer {
  const body = BSON.serialize(reply);
  if (request.opCode === OpCode.QUERY) return encodeOpReply(request.requestId, requestId, body);
  const payload = Buffer.alloc(5 + body.length);
  payload.writeUInt32LE(0, 0);
  payload.writeUInt8(0, 4);
  payload.set(body, 5);
  return frame(OpCode.MSG, requestId, request.requestId, payload);
}

function encodeOpReply(responseTo: number, requestId: number, body: Uint8Array): Buffer {
  const prefix = Buffer.alloc(20);
  prefix.writeInt32LE(0, 0);
  prefix.writeBigInt64LE(0n, 4);
  prefix.writeInt32LE(0, 12);
  prefix.writeInt32LE(1, 16);
  return frame(OpCode.REPLY, requestId, responseTo, Buffer.concat([prefix, body]));
}

function decodeOpMsg({ header, payload }: RawMessage): CommandRequest {
  if (payload.length < 5) throw new ProtocolError('OP_MSG too short');
  const flags = payload.readUInt32LE(0);
  if ((flags & REQUIRED_FLAG_BITS & ~KNOWN_FLAGS) !== 0) throw new ProtocolError(`OP_MSG has unknown required flags ${flags}`);
  const end = flags & CHECKSUM_PRESENT ? payload.length - 4 : payload.length;
  const { body, sequences } = readSections(payload, 4, end);
  const command: Document = { ...body, ...sequences };
  const database = body.$db;
  if (typeof database !== 'string') throw new ProtocolError('OP_MSG body lacks $db');
  return { opCode: OpCode.MSG, requestId: header.requestId, command, database, moreToCome: (flags & MORE_TO_COME) !== 0 };
}

function readSections(payload: Buffer, start: number, end: number): { body: Document; sequences: Document } {
  let body: Document | undefined;
  const sequences: Document = {};
  let offset = start;
  while (offset < end) {
    const kind = payload.readUInt8(offset);
    offset += 1;
    if (kind === 0) {
      if (body) throw new ProtocolError('OP_MSG has two body sections');
      const size = documentSize(payload, offset, end);
      body = BSON.deserialize(payload.subarray(offset, offset + size));
      offset += size;
    } else if (kind === 1) {
      const size = documentSize(payload, offset, end);
      const [identifier, documents] = readDocumentSequence(payload.subarray(offset + 4, offset + size));
      sequences[identifier] = documents;
      offset += size;
    } else {
      throw new ProtocolError(`OP_MSG section kind ${kind} unknown`);
    }
  }
  if (!body) throw new ProtocolError('OP_MSG has no body section');
  return { body, sequences };
}

function documentSize(bytes: Buffer, offset: number, end: number): number {
  if (offset + 4 > end) throw new ProtocolError('section truncated');
  const size = bytes.readInt32LE(offset);
  if (size < 5 || offset + size > end) throw new ProtocolError(`section size ${size} out of bounds`);
  return size;
}

function readCString(bytes: Buffer, offset: number): [string, number] {
  const terminator = bytes.indexOf(0, offset);
  if (terminator < 0) throw new ProtocolError('unterminated string');
  return [bytes.toString('utf8', offset, terminator), terminator + 1];
}

function readDocumentSequence(bytes: Buffer): [string, Document[]] {
  const [identifier, start] = readCString(bytes, 0);
  const documents: Document[] = [];
  let offset = start;
  while (offset < bytes.length) {
    const size = documentSize(bytes, offset, bytes.length);
    documents.push(BSON.deserialize(bytes.subarray(offset, offset + size)));
    offset += size;
  }
  return [identifier, documents];
}

function decodeOpQuery({ header, payload }: RawMessage): CommandRequest {
  const [collectionName, afterName] = readCString(payload, 4);
  const queryStart = afterName + 8;
  const size = documentSize(payload, queryStart, payload.length);
  const query = BSON.deserialize(payload.subarray(queryStart, queryStart + size));
  const [database, collection] = splitOnce(collectionName, '.');
  if (collection !== '$cmd') throw new ProtocolError(`OP_QUERY only supported for commands, got ${collectionName}`);
  const command = typeof query.$query === 'object' && query.$query !== null ? (query.$query as Document) : query;
  return { opCode: OpCode.QUERY, requestId: header.requestId, command, database, moreToCome: false };
}

function splitOnce(text: string, separator: string): [string, string] {
  const at = text.indexOf(separator);
  return at < 0 ? [text, ''] : [text.slice(0, at), text.slice(at + 1)];
}
