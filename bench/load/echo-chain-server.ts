import * as grpc from '@grpc/grpc-js';
import { createServer } from 'node:http';
import { connect, constants } from 'node:http2';
import { parseArgs } from 'node:util';
import { Pool } from 'undici';
import { grpcFrame } from './h2load.js';

/**
 * One link of a bare chain with a call's shape and none of its work, to measure what the transport alone allows for
 * that shape: with --http, an HTTP/1.1 server answering every POST with its body (the HTTP leg, like search's call to
 * Elasticsearch); otherwise a bare @grpc/grpc-js unary echo that, before it answers, sends the request's bytes to
 * every --call downstream at once (grpc://host:port as the same echo method through a @grpc/grpc-js client, h2://host:port
 * as that method through one bare node:http2 session, with no gRPC library: the least a gRPC client in Node can cost,
 * http://host:port as a POST through an undici pool, the HTTP client the Elasticsearch client uses) and waits for all of
 * them. Prints its port.
 */

const { values } = parseArgs({ options: { http: { type: 'boolean' }, call: { type: 'string', multiple: true, default: [] } } });
const ECHO_PATH = '/bench.v1.EchoService/Echo';
const identity = (value: Buffer) => value;

type Downstream = (bytes: Buffer) => Promise<void>;

function grpcDownstream(address: string): Downstream {
  const client = new grpc.Client(address, grpc.credentials.createInsecure(), { 'grpc.enable_channelz': 0 });
  return (bytes) => new Promise((resolve, reject) => client.makeUnaryRequest(ECHO_PATH, identity, identity, bytes, (error) => (error ? reject(error) : resolve())));
}

/** A unary gRPC call as HTTP/2 frames and nothing more: the message in gRPC's framing out, an OK grpc-status back. */
function http2Downstream(address: string): Downstream {
  const session = connect(`http://${address}`);
  session.on('error', () => undefined); // a lost session fails its streams, which reject their calls
  return (bytes) =>
    new Promise((resolve, reject) => {
      const stream = session.request({ [constants.HTTP2_HEADER_METHOD]: 'POST', [constants.HTTP2_HEADER_PATH]: ECHO_PATH, 'content-type': 'application/grpc', te: 'trailers' });
      stream.on('data', () => undefined);
      stream.once('trailers', (trailers) => (trailers['grpc-status'] === '0' ? resolve() : reject(new Error(`grpc-status ${String(trailers['grpc-status'])}`))));
      stream.once('error', reject);
      stream.end(grpcFrame(bytes));
    });
}

function httpDownstream(origin: string): Downstream {
  const pool = new Pool(origin, { connections: 256 });
  return async (bytes) => {
    const { statusCode, body } = await pool.request({ method: 'POST', path: '/', body: bytes, headers: { 'content-type': 'application/json' } });
    await body.arrayBuffer();
    if (statusCode !== 200) throw new Error(`HTTP ${statusCode}`);
  };
}

function listening(port: number): void {
  process.stdout.write(`${port}\n`);
}

if (values.http) {
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks);
      response.writeHead(200, { 'content-type': 'application/json', 'content-length': body.length }).end(body);
    });
  });
  server.keepAliveTimeout = 60_000;
  server.listen(0, '127.0.0.1', () => listening((server.address() as { port: number }).port));
  process.once('SIGTERM', () => server.close(() => process.exit(0)));
} else {
  const downstreams = values.call.map((url) => {
    if (url.startsWith('grpc://')) return grpcDownstream(url.slice('grpc://'.length));
    if (url.startsWith('h2://')) return http2Downstream(url.slice('h2://'.length));
    return httpDownstream(url);
  });
  const definition: grpc.ServiceDefinition = {
    Echo: { path: ECHO_PATH, requestStream: false, responseStream: false, requestSerialize: identity, requestDeserialize: identity, responseSerialize: identity, responseDeserialize: identity },
  };
  const server = new grpc.Server();
  server.addService(definition, {
    Echo: (call: grpc.ServerUnaryCall<Buffer, Buffer>, callback: grpc.sendUnaryData<Buffer>) => {
      Promise.all(downstreams.map((send) => send(call.request))).then(
        () => callback(null, call.request),
        (error: unknown) => callback({ code: grpc.status.UNAVAILABLE, details: error instanceof Error ? error.message : String(error) }),
      );
    },
  });
  server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (error, port) => {
    if (error) throw error;
    listening(port);
  });
  process.once('SIGTERM', () => server.tryShutdown(() => process.exit(0)));
}
