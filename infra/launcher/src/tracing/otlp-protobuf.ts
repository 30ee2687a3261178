import { BinaryReader, WireType } from '@bufbuild/protobuf/wire';
import type { StoredSpan } from './stored-span.js';

type Value = string | number | boolean;

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

/** Reads each field of one length-delimited message, leaving unknown ones skipped. */
function fields(bytes: Uint8Array, onField: (fieldNo: number, wireType: WireType, reader: BinaryReader) => boolean): void {
  const reader = new BinaryReader(bytes);
  while (reader.pos < reader.len) {
    const [fieldNo, wireType] = reader.tag();
    if (!onField(fieldNo, wireType, reader)) reader.skip(wireType, fieldNo);
  }
}

function anyValue(bytes: Uint8Array): Value {
  let value: Value = '';
  fields(bytes, (fieldNo, _wire, reader) => {
    if (fieldNo === 1) value = reader.string();
    else if (fieldNo === 2) value = reader.bool();
    else if (fieldNo === 3) value = Number(reader.int64());
    else if (fieldNo === 4) value = reader.double();
    else if (fieldNo === 7) value = hex(reader.bytes());
    else if (fieldNo === 5 || fieldNo === 6) value = '[structured]';
    else return false;
    return true;
  });
  return value;
}

function keyValue(bytes: Uint8Array, into: Record<string, Value>): void {
  let key = '';
  let value: Value = '';
  fields(bytes, (fieldNo, _wire, reader) => {
    if (fieldNo === 1) key = reader.string();
    else if (fieldNo === 2) value = anyValue(reader.bytes());
    else return false;
    return true;
  });
  into[key] = value;
}

function resourceService(bytes: Uint8Array): string {
  const attributes: Record<string, Value> = {};
  fields(bytes, (fieldNo, _wire, reader) => (fieldNo === 1 ? (keyValue(reader.bytes(), attributes), true) : false));
  return String(attributes['service.name'] ?? 'unknown');
}

function link(bytes: Uint8Array): { traceId: string; spanId: string } {
  const parsed = { traceId: '', spanId: '' };
  fields(bytes, (fieldNo, _wire, reader) => {
    if (fieldNo === 1) parsed.traceId = hex(reader.bytes());
    else if (fieldNo === 2) parsed.spanId = hex(reader.bytes());
    else return false;
    return true;
  });
  return parsed;
}

function span(bytes: Uint8Array, service: string): StoredSpan {
  const s = { traceId: '', spanId: '', parentSpanId: '', name: '', kind: 0, startTimeUnixNano: '0', endTimeUnixNano: '0', statusCode: 0, statusMessage: '' };
  const attributes: Record<string, Value> = {};
  const links: Array<{ traceId: string; spanId: string }> = [];
  fields(bytes, (fieldNo, _wire, reader) => {
    if (fieldNo === 1) s.traceId = hex(reader.bytes());
    else if (fieldNo === 2) s.spanId = hex(reader.bytes());
    else if (fieldNo === 4) s.parentSpanId = hex(reader.bytes());
    else if (fieldNo === 5) s.name = reader.string();
    else if (fieldNo === 6) s.kind = reader.int32();
    else if (fieldNo === 7) s.startTimeUnixNano = String(reader.fixed64());
    else if (fieldNo === 8) s.endTimeUnixNano = String(reader.fixed64());
    else if (fieldNo === 9) keyValue(reader.bytes(), attributes);
    else if (fieldNo === 13) links.push(link(reader.bytes()));
    else if (fieldNo === 15) {
      fields(reader.bytes(), (statusField, _w, status) => {
        if (statusField === 2) s.statusMessage = status.string();
        else if (statusField === 3) s.statusCode = status.int32();
        else return false;
        return true;
      });
    } else return false;
    return true;
  });
  return { ...s, service, attributes, links };
}

/** Decodes an OTLP ExportTraceServiceRequest in protobuf binary (opentelemetry/proto/collector/trace/v1) into spans. */
export function decodeTraceRequest(body: Uint8Array): StoredSpan[] {
  const spans: StoredSpan[] = [];
  fields(body, (fieldNo, _wire, reader) => {
    if (fieldNo !== 1) return false;
    const resourceSpans = reader.bytes();
    let service = 'unknown';
    const scopes: Uint8Array[] = [];
    fields(resourceSpans, (field, _w, r) => {
      if (field === 1) service = resourceService(r.bytes());
      else if (field === 2) scopes.push(r.bytes());
      else return false;
      return true;
    });
    for (const scope of scopes) fields(scope, (field, _w, r) => (field === 2 ? (spans.push(span(r.bytes(), service)), true) : false));
    return true;
  });
  return spans;
}
