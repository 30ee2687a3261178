import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { create, type DescMethodUnary } from '@bufbuild/protobuf';
import { Code, ConnectError } from '@connectrpc/connect';
import { forbiddenCodes, oversizedRequest, runFuzz } from '@shop/runtime/testing';
import { StorefrontService } from '@shop/gen/storefront/v1/storefront_service_pb';
import { clientOf, startFuzzStack, startGatewayProcess, startWellFormedCaller, type FuzzStack, type RunningGatewayProcess } from './support/fuzz-stack.js';

/** An HTTP/1.1 request with any headers (Origin included), answering status and headers. */
function rawHttp(url: string, method: string, headers: Record<string, string>, body?: string): Promise<{ status: number; headers: Record<string, string | string[] | undefined> }> {
  return new Promise((resolve, reject) => {
    const outgoing = httpRequest(url, { method, headers }, (response) => {
      response.resume();
      response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers }));
    });
    outgoing.on('error', reject);
    outgoing.end(body);
  });
}

const codeOf = (error: unknown) => Code[ConnectError.from(error).code];

describe('hardening against hostile requests', () => {
  let stack: FuzzStack;
  let limited: RunningGatewayProcess;
  const allowedOrigin = 'http://localhost:5173';
  const searchPath = '/shop.storefront.v1.StorefrontService/SearchProducts';

  beforeAll(async () => {
    stack = await startFuzzStack();
    limited = await startGatewayProcess(stack.shop, {
      GATEWAY_RATE_LIMIT_PER_SECOND: '2',
      GATEWAY_RATE_LIMIT_BURST: '4',
      GATEWAY_CORS_ORIGINS: 'http://localhost:*,https://shop.example',
    });
  }, 240_000);

  afterAll(async () => {
    await limited?.process.stop();
    await stack?.stop();
  });

  it('answers generated, undecodable and malformed requests to every RPC without INTERNAL, UNKNOWN or a hang, while a well-formed caller never fails', async () => {
    const bystander = startWellFormedCaller(stack);
    const report = await runFuzz(stack.targets(), { requests: 2000, seed: 16, concurrency: 8, timeoutMs: 15_000, knownStrings: stack.fuzzStrings });
    const wellFormed = await bystander.stop();
    expect(report.failures.slice(0, 10)).toEqual([]);
    expect(report.total).toBe(2000);
    expect(report.byCode.InvalidArgument).toBeGreaterThan(400);
    expect(wellFormed.failures).toEqual([]);
    expect(wellFormed.calls).toBeGreaterThan(10);
    expect(await stack.health()).toEqual({ products: 'SERVING', orders: 'SERVING', users: 'SERVING', cart: 'SERVING', search: 'SERVING', gateway: 'SERVING' });
  }, 300_000);

  it.each(StorefrontService.methods.map((method) => [method.name, method] as const))(
    "an oversized %s never makes another caller's concurrent call fail",
    async (_name, method) => {
      const attacker = clientOf(StorefrontService, stack.gateway.address) as unknown as Record<string, (request: unknown, options: object) => Promise<unknown>>;
      const request = create((method as DescMethodUnary).input, oversizedRequest((method as DescMethodUnary).input) as never);
      const attack = Promise.all(
        Array.from({ length: 4 }, () => attacker[method.localName]!(request, { headers: { authorization: `Bearer ${stack.tokens.attacker}` }, timeoutMs: 20_000 }).then(() => 'Ok', codeOf)),
      );
      const bystander = startWellFormedCaller(stack);
      const codes = await attack;
      const wellFormed = await bystander.stop();
      const input = (method as DescMethodUnary).input;
      expect(codes.filter((code) => forbiddenCodes.has(code!) || (code === 'Ok' && input.fields.length > 0))).toEqual([]);
      expect(wellFormed.failures).toEqual([]);
    },
    60_000,
  );

  it('answers a browser preflight and a cross-origin call for an allowed origin, and refuses any other origin', async () => {
    const url = `${limited.connectUrl}${searchPath}`;
    const preflight = (origin: string) =>
      rawHttp(url, 'OPTIONS', { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type,connect-protocol-version' });
    const call = (origin: string) => rawHttp(url, 'POST', { origin, 'content-type': 'application/json', 'connect-protocol-version': '1' }, '{"pageSize":1}');

    const allowed = await preflight(allowedOrigin);
    expect(allowed.status).toBe(204);
    expect(allowed.headers['access-control-allow-origin']).toBe(allowedOrigin);
    expect(String(allowed.headers['access-control-allow-headers'])).toMatch(/authorization/i);
    expect(String(allowed.headers['access-control-allow-headers'])).toMatch(/connect-protocol-version/i);
    const allowedCall = await call(allowedOrigin);
    expect(allowedCall.status).toBe(200);
    expect(allowedCall.headers['access-control-allow-origin']).toBe(allowedOrigin);

    for (const origin of ['https://evil.example', 'http://localhost.evil.example:80', 'null']) {
      const refused = await preflight(origin);
      expect({ origin, status: refused.status, allow: refused.headers['access-control-allow-origin'] }).toEqual({ origin, status: 403, allow: undefined });
      const refusedCall = await call(origin);
      expect({ origin, status: refusedCall.status, allow: refusedCall.headers['access-control-allow-origin'] }).toEqual({ origin, status: 403, allow: undefined });
    }
  }, 60_000);

  it('answers RESOURCE_EXHAUSTED to a caller over its rate limit while other callers are unaffected', async () => {
    const storefront = clientOf(StorefrontService, limited.address);
    const as = (token: string) => ({ headers: { authorization: `Bearer ${token}` }, timeoutMs: 20_000 });
    const flood = await Promise.all(Array.from({ length: 30 }, () => storefront.getCart({}, as(stack.tokens.attacker)).then(() => 'Ok', codeOf)));
    expect(flood.filter((code) => code === 'ResourceExhausted').length).toBeGreaterThan(10);
    expect(flood.filter((code) => code !== 'ResourceExhausted' && code !== 'Ok')).toEqual([]);
    const refused = await storefront.getCart({}, as(stack.tokens.attacker)).catch((error: unknown) => ConnectError.from(error));
    expect(refused).toBeInstanceOf(ConnectError);
    expect((refused as ConnectError).code).toBe(Code.ResourceExhausted);
    expect((refused as ConnectError).rawMessage).toMatch(/rate limit of this user exceeded/);
    await expect(storefront.getCart({}, as(stack.tokens.bystander))).resolves.toBeDefined();
    await expect(storefront.searchProducts({ pageSize: 1 }, { timeoutMs: 20_000 })).resolves.toBeDefined();
  }, 60_000);
});
