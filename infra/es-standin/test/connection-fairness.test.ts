import { Agent, get } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { openTestServer, type TestServer } from './harness.js';

/** One GET of the root endpoint over the agent (or a connection of its own); resolves with its HTTP status. */
function getRoot(url: string, agent: Agent | false): Promise<number> {
  return new Promise((resolve, reject) => {
    get(`${url}/`, { agent }, (response) => {
      response.resume();
      response.once('end', () => resolve(response.statusCode ?? 0));
    }).once('error', reject);
  });
}

describe('new connections under load', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await openTestServer();
  });
  afterAll(async () => {
    await server.stop();
  });

  // Counted in requests, not milliseconds: while 8 keep-alive clients keep the server busy, how many of their requests
  // are answered before the last of 24 new connections gets its answer. A server that accepts one connection per turn
  // of its event loop and runs every ready request in that turn answers several busy requests per newcomer (about 100
  // here); one that runs one request per turn answers about one per newcomer.
  it('answers a burst of new connections while keep-alive clients keep it busy', async () => {
    const busyClients = 8;
    const newcomers = 24;
    const agent = new Agent({ keepAlive: true, maxSockets: busyClients });
    let busyAnswered = 0;
    let stop = false;
    const busy = Array.from({ length: busyClients }, async () => {
      while (!stop) {
        expect(await getRoot(server.url, agent)).toBe(200);
        busyAnswered += 1;
      }
    });
    try {
      while (busyAnswered < 10 * busyClients) await new Promise((resolve) => setTimeout(resolve, 10));
      const atBurst = busyAnswered;
      const answeredBefore = await Promise.all(
        Array.from({ length: newcomers }, async () => {
          expect(await getRoot(server.url, false)).toBe(200);
          return busyAnswered - atBurst;
        }),
      );
      expect(Math.max(...answeredBefore)).toBeLessThan(2 * newcomers);
    } finally {
      stop = true;
      await Promise.all(busy);
      agent.destroy();
    }
  });
});
