/** Size of the standard message header: length, requestID, responseTo, opCode. */
export const HEADER_SIZE = 16;

/** Largest message accepted, as advertised in `hello` (`maxMessageSizeBytes`). */
export const MAX_MESSAGE_SIZE = 48_000_000;

/** The standard header every wire-protocol message starts with. */
export interface MessageHeader {
  messageLength: number;
  requestId: number;
  responseTo: number;
  opCode: number;
}

/** A complete message: its header and the bytes following the header. */
export interface RawMessage {
  header: MessageHeader;
  payload: Buffer;
}

/** Raised when the byte stream cannot be a valid sequence of messages. */
export class ProtocolError extends Error {}

/** Reads the header at the start of a buffer holding at least HEADER_SIZE bytes. */
export function readHeader(bytes: Buffer): MessageHeader {
  return {
    messageLength: bytes.readInt32LE(0),
    requestId: bytes.readInt32LE(4),
    responseTo: bytes.readInt32LE(8),
    opCode: bytes.readInt32LE(12),
  };
}

/** Serializes a header followed by its payload into one message. */
export function frame(opCode: number, requestId: number, responseTo: number, payload: Buffer): Buffer {
  const header = Buffer.alloc(HEADER_SIZE);
  header.writeInt32LE(HEADER_SIZE + payload.length, 0);
  header.writeInt32LE(requestId, 4);
  header.writeInt32LE(responseTo, 8);
  header.writeInt32LE(opCode, 12);
  return Buffer.concat([header, payload]);
}

/** Splits an incoming byte stream into whole messages. */
export class MessageSplitter {
  private buffered: Buffer = Buffer.alloc(0);

  /** Adds received bytes and returns every message now complete; throws ProtocolError on an impossible length. */
  push(chunk: Buffer): RawMessage[] {
    this.buffered = this.buffered.length === 0 ? chunk : Buffer.concat([this.buffered, chunk]);
    const messages: RawMessage[] = [];
    while (this.buffered.length >= HEADER_SIZE) {
      const header = readHeader(this.buffered);
      if (header.messageLength < HEADER_SIZE || header.messageLength > MAX_MESSAGE_SIZE) {
        throw new ProtocolError(`message length ${header.messageLength} outside ${HEADER_SIZE}..${MAX_MESSAGE_SIZE}`);
      }
      if (this.buffered.length < header.messageLength) break;
      messages.push({ header, payload: this.buffered.subarray(HEADER_SIZE, header.messageLength) });
      this.buffered = this.buffered.subarray(header.messageLength);
    }
    return messages;
  }
}
