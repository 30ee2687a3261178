import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import * as grpc from '@grpc/grpc-js';
import { startChainLink, startEcho, startEchoChains, type EchoChains } from '../load/echo-process.js';

const identity = (bytes: Buffer) => bytes;

function echoOnce(address: string, message: Buffer): Promise<Buffer> {
  const client = new grpc.Client(address, grpc.credentials.createInsecure());
  return new Promise<Buffer>((resolve, reject) =>
    client.makeUnaryRequest('/bench.v1.EchoService/Echo', identity, identity, message, { deadline: Date.now() + 20_000 }, (error, answer) => (error ? reject(error) : resolve(answer!))),
  ).finally(() => client.close());
}

describe('bench/load bare chains of a call shape', () => {
  let chains: EchoChains;

  beforeAll(async () => {
    chains = await startEchoChains();
  });

  afterAll(async () => {
    await chains?.stop();
  });

  it('pass the request bytes through every link of both shapes and answer with them', async () => {
    const message = Buffer.from('a request of forty bytes, or thereabouts');
    await expect(echoOnce(chains.searchShaped, message)).resolves.toEqual(message);
    await expect(echoOnce(chains.pageShaped, message)).resolves.toEqual(message);
  });

  it('count the CPU of each of the four links by its part in the chain', () => {
    expect([...chains.cpuByLink().keys()].sort()).toEqual(['chain HTTP echo', 'chain gRPC echo', 'chain page-shaped link', 'chain search-shaped link']);
  });

  it('call a gRPC downstream through a bare node:http2 session as well as through grpc-js', async () => {
    const echo = await startEcho();
    const link = await startChainLink(`h2://${echo.address}`);
    try {
      await expect(echoOnce(link.address, Buffer.from('over bare HTTP/2'))).resolves.toEqual(Buffer.from('over bare HTTP/2'));
    } finally {
      await Promise.all([link.stop(), echo.stop()]);
    }
  });

  it('answer UNAVAILABLE when a downstream of a link refuses, so a link cannot answer without calling it', async () => {
    const link = await startChainLink('http://127.0.0.1:1');
    try {
      await expect(echoOnce(link.address, Buffer.from('x'))).rejects.toMatchObject({ code: grpc.status.UNAVAILABLE });
    } finally {
      await link.stop();
    }
  });
});
