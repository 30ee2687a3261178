import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from '@jest/globals';
import { consumersOf, peersOf, serviceNames, systemMap, type ServiceName } from '../src/index.js';

const protoRoot = join(dirname(fileURLToPath(import.meta.url)), '../../../proto/shop');

function protoTexts(): { file: string; text: string }[] {
  return readdirSync(protoRoot).flatMap((domain) =>
    readdirSync(join(protoRoot, domain, 'v1')).map((file) => ({ file: `${domain}/${file}`, text: readFileSync(join(protoRoot, domain, 'v1', file), 'utf8') })),
  );
}

function eventsProtoOf(name: ServiceName): string {
  const api = systemMap[name].api;
  const domain = api.split('.')[1]!;
  return protoTexts().find((proto) => proto.file === `${domain}/${domain}_events.proto`)?.text ?? '';
}

describe('the system map', () => {
  it('names a gRPC service declared in proto/ for every service', () => {
    const texts = protoTexts();
    for (const name of serviceNames) {
      const [, domain, version, service] = systemMap[name].api.split('.');
      const declared = texts.some((proto) => proto.text.includes(`package shop.${domain}.${version};`) && proto.text.includes(`service ${service} {`));
      expect({ name, declared }).toEqual({ name, declared: true });
    }
  });

  it('lists as published only messages of the service own events contract', () => {
    for (const name of serviceNames) {
      const proto = eventsProtoOf(name);
      for (const event of systemMap[name].publishes) expect({ name, event, declared: proto.includes(`message ${event} {`) }).toEqual({ name, event, declared: true });
    }
  });

  it('consumes only events their source publishes, and never its own', () => {
    for (const name of serviceNames) {
      for (const stream of systemMap[name].consumes) {
        expect(stream.source).not.toBe(name);
        for (const event of stream.events) expect(systemMap[stream.source].publishes).toContain(event);
      }
    }
    expect(consumersOf('orders', 'OrderPlaced')).toEqual(['cart', 'analytics']);
  });

  it('orders the services so that every peer starts before its callers', () => {
    for (const [index, name] of serviceNames.entries()) {
      for (const peer of peersOf(name)) expect(serviceNames.indexOf(peer)).toBeLessThan(index);
    }
    expect(peersOf('orders')).toEqual(['products', 'users']);
    expect(peersOf('gateway')).toEqual(['products', 'users', 'cart', 'search', 'orders', 'analytics']);
  });

  it('gives every store its own user and namespace', () => {
    const stores = serviceNames.flatMap((name) => systemMap[name].store ?? []);
    expect(new Set(stores.map((store) => store.user)).size).toBe(stores.length);
    expect(new Set(stores.map((store) => store.urlVariable)).size).toBe(stores.length);
  });
});
