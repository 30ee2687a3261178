import { describe, expect, it } from '@jest/globals';
import { peersOf } from '@shop/system-map';
import { inDependencyOrder } from '../src/service-processes.js';
import { SERVICE_NAMES, type ServiceName } from '../src/service-env.js';

/** A start that records when each service began and finished, and finishes when the test says so. */
function recordingStart() {
  const events: string[] = [];
  const pending = new Map<ServiceName, () => void>();
  const start = (name: ServiceName) =>
    new Promise<void>((resolve) => {
      events.push(`start ${name}`);
      pending.set(name, () => {
        events.push(`done ${name}`);
        resolve();
      });
    });
  const finish = async (name: ServiceName) => {
    pending.get(name)!();
    await new Promise((resolve) => setImmediate(resolve));
  };
  return { events, start, finish, started: () => [...pending.keys()] };
}

describe('the launcher starts services in dependency order', () => {
  it('starts every service without peers at once, and each other one as soon as the services it calls are up', async () => {
    const run = recordingStart();
    const all = inDependencyOrder(SERVICE_NAMES, run.start);
    await new Promise((resolve) => setImmediate(resolve));
    const independent = SERVICE_NAMES.filter((name) => peersOf(name).length === 0);
    expect(independent.length).toBeGreaterThan(1);
    expect(run.started().sort()).toEqual([...independent].sort());
    await run.finish('products');
    expect(run.started()).toContain('search');
    expect(run.started()).not.toContain('orders');
    await run.finish('users');
    expect(run.started()).toContain('orders');
    expect(run.started()).not.toContain('gateway');
    for (const name of ['cart', 'search', 'orders'] as const) await run.finish(name);
    expect(run.started()).not.toContain('gateway');
    await run.finish('analytics');
    expect(run.started()).toContain('gateway');
    await run.finish('gateway');
    await all;
    for (const name of SERVICE_NAMES) {
      for (const peer of peersOf(name)) expect(run.events.indexOf(`done ${peer}`)).toBeLessThan(run.events.indexOf(`start ${name}`));
    }
  });

  it('never starts the callers of a service that failed to start, and rejects with its error once the others settled', async () => {
    const started: ServiceName[] = [];
    const outcome = inDependencyOrder(SERVICE_NAMES, async (name) => {
      started.push(name);
      if (name === 'products') throw new Error('products did not start');
    });
    await expect(outcome).rejects.toThrow('products did not start');
    expect(started).not.toContain('search');
    expect(started).not.toContain('orders');
    expect(started).not.toContain('gateway');
    expect(started).toEqual(expect.arrayContaining(['users', 'cart']));
  });
});
