import { describe, expect, it } from '@jest/globals';
import { inDependencyOrder } from '../src/service-processes.js';
import { SERVICE_NAMES, type ServiceName } from '../src/service-env.js';
import { START_NEEDS, type StartNeeds } from '../src/start-needs.js';

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

const tick = () => new Promise((resolve) => setImmediate(resolve));

/** Needs where orders waits for products and users, and the gateway for orders. */
const chained: StartNeeds = { ...START_NEEDS, orders: ['products', 'users'], gateway: ['orders'] };

describe('the launcher starts services as soon as what they need at start is up', () => {
  it('starts every service at once, since none calls a peer before it serves', async () => {
    const run = recordingStart();
    const all = inDependencyOrder(SERVICE_NAMES, run.start);
    await tick();
    expect(run.started().sort()).toEqual([...SERVICE_NAMES].sort());
    for (const name of SERVICE_NAMES) await run.finish(name);
    await all;
  });

  it('starts a service that needs peers at start only once each of them has started', async () => {
    const run = recordingStart();
    const all = inDependencyOrder(SERVICE_NAMES, run.start, chained);
    await tick();
    expect(run.started()).not.toContain('orders');
    expect(run.started()).not.toContain('gateway');
    await run.finish('products');
    expect(run.started()).not.toContain('orders');
    await run.finish('users');
    expect(run.started()).toContain('orders');
    expect(run.started()).not.toContain('gateway');
    await run.finish('orders');
    expect(run.started()).toContain('gateway');
    for (const name of ['cart', 'search', 'analytics', 'gateway'] as const) await run.finish(name);
    await all;
    for (const name of SERVICE_NAMES) {
      for (const peer of chained[name]) expect(run.events.indexOf(`done ${peer}`)).toBeLessThan(run.events.indexOf(`start ${name}`));
    }
  });

  it('never starts a service whose needed peer failed to start, and rejects with its error once the others settled', async () => {
    const started: ServiceName[] = [];
    const outcome = inDependencyOrder(
      SERVICE_NAMES,
      async (name) => {
        started.push(name);
        if (name === 'products') throw new Error('products did not start');
      },
      chained,
    );
    await expect(outcome).rejects.toThrow('products did not start');
    expect(started).not.toContain('orders');
    expect(started).not.toContain('gateway');
    expect(started).toEqual(expect.arrayContaining(['users', 'cart', 'search', 'analytics']));
  });
});
