import { describe, expect, it } from '@jest/globals';
import { instrumentedModules, processService, serviceInstrumentations } from '../src/telemetry/instrumentations.js';

const modulesOf = async (service: Parameters<typeof serviceInstrumentations>[0]) => instrumentedModules(await serviceInstrumentations(service)).sort();

describe('the instrumentations a service process loads', () => {
  it('are its own store driver only, from the system map: gRPC is traced by the shell, without patching grpc-js', async () => {
    expect(await modulesOf('cart')).toEqual(['ioredis']);
    expect(await modulesOf('orders')).toEqual(['pg', 'pg-pool']);
    expect(await modulesOf('products')).toEqual(['mongodb']);
    expect(await modulesOf('search')).toEqual([]);
  });

  it('add HTTP only where the map gives the service an HTTP port', async () => {
    expect(await modulesOf('gateway')).toEqual(['http', 'https']);
  });

  it('are every one of them in a process the map does not describe', async () => {
    expect(await modulesOf(undefined)).toEqual(['http', 'https', 'ioredis', 'mongodb', 'pg', 'pg-pool']);
  });

  it('are built disabled, so nothing is patched before the module hooks are registered', async () => {
    for (const instrumentation of await serviceInstrumentations(undefined)) expect(instrumentation.getConfig().enabled).toBe(false);
  });

  it('belong to the service named by the compiled entry point, else by OTEL_SERVICE_NAME', () => {
    expect(processService('/app/services/orders/dist/main.js', {})).toBe('orders');
    expect(processService('/app/bench/fixture.js', { OTEL_SERVICE_NAME: 'cart' })).toBe('cart');
    expect(processService('/app/bench/fixture.js', { OTEL_SERVICE_NAME: 'billing' })).toBeUndefined();
  });
});
