import { open } from 'node:fs/promises';
import { BinaryReader } from '@bufbuild/protobuf/wire';
import { decodeJsonTraceRequest } from './otlp-json.js';
import { decodeTraceRequest } from './otlp-protobuf.js';
import type { StoredSpan } from './stored-span.js';

/** How an OTLP trace export was encoded. */
export type ExportEncoding = 'protobuf' | 'json';

const kindByte: Record<ExportEncoding, number> = { protobuf: 0x70, json: 0x6a };
const headerBytes = 5;

/**
 * One stored export as it arrived (uncompressed), behind a 5-byte header: its encoding and its length. Spans are
 * decoded only when read, so receiving them costs the receiver no decoding.
 */
export function exportRecord(encoding: ExportEncoding, body: Buffer): Buffer {
  const header = Buffer.alloc(headerBytes);
  header.writeUInt8(kindByte[encoding], 0);
  header.writeUInt32BE(body.length, 1);
  return Buffer.concat([header, body]);
}

/**
 * Checks that an export can be stored: JSON that parses, or protobuf whose top-level fields are well framed (a
 * cheap walk, not a decoding); throws otherwise.
 */
export function checkExport(encoding: ExportEncoding, body: Buffer): void {
  if (encoding === 'json') {
    JSON.parse(body.toString('utf8'));
    return;
  }
  const reader = new BinaryReader(body);
  while (reader.pos < reader.len) {
    const [fieldNo, wireType] = reader.tag();
    reader.skip(wireType, fieldNo);
  }
  if (reader.pos !== reader.len) throw new Error('truncated protobuf');
}

/** Every span of a file of export records, in the order received; a record cut short at the end (a crash while writing) is left out. */
export function spansOfRecords(file: Buffer): StoredSpan[] {
  const spans: StoredSpan[] = [];
  for (let at = 0; at + headerBytes <= file.length; ) {
    const kind = file.readUInt8(at);
    const length = file.readUInt32BE(at + 1);
    const end = at + headerBytes + length;
    if (end > file.length) break;
    const body = file.subarray(at + headerBytes, end);
    spans.push(...(kind === kindByte.json ? decodeJsonTraceRequest(body.toString('utf8')) : decodeTraceRequest(body)));
    at = end;
  }
  return spans;
}

/** Cuts a record left unfinished at the end of the file (the receiver stopped while writing it), so records appended later stay readable. */
export async function cutUnfinishedRecord(file: string): Promise<void> {
  const handle = await open(file, 'a+').catch(() => undefined);
  if (!handle) return;
  try {
    const { size } = await handle.stat();
    const header = Buffer.alloc(headerBytes);
    let at = 0;
    while (at + headerBytes <= size) {
      await handle.read(header, 0, headerBytes, at);
      const end = at + headerBytes + header.readUInt32BE(1);
      if (end > size) break;
      at = end;
    }
    if (at < size) await handle.truncate(at);
  } finally {
    await handle.close();
  }
}
