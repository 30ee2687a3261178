import { createServer, type IncomingHttpHeaders } from 'node:http';
import { parseArgs } from 'node:util';
import { Pool } from 'undici';

/**
 * An HTTP front for Elasticsearch that makes its searches cost next to nothing, to measure what the search service
 * costs on its own: every request goes on to --upstream and its answer comes back, except a `_search` POST that
 * repeats one already answered with 200 (same method, URL, credentials and body), which gets that recorded answer at
 * once. Index writes, migrations and pings still reach the real store. Prints its port. Not a cache to run with: the
 * recorded answers never change when the index does.
 */

const { values } = parseArgs({ options: { upstream: { type: 'string' } } });
if (!values.upstream) throw new Error('usage: replaying-elasticsearch.ts --upstream http://host:port');

interface Recorded {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: Buffer;
}

const upstream = new Pool(values.upstream, { connections: 256 });
const recorded = new Map<string, Recorded>();
const passedHeaders = ['content-type', 'x-elastic-product'];

function forwardedHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).flatMap(([name, value]) => (name === 'host' || name === 'connection' || value === undefined ? [] : [[name, String(value)]])));
}

const server = createServer((request, response) => {
  const chunks: Buffer[] = [];
  request.on('data', (chunk: Buffer) => chunks.push(chunk));
  request.on('end', () => {
    const body = Buffer.concat(chunks);
    const searches = request.method === 'POST' && /\/_search(\?|$)/.test(request.url ?? '');
    const key = `${request.method} ${request.url} ${request.headers.authorization ?? ''} ${body.toString('latin1')}`;
    const answer = (reply: Recorded) => response.writeHead(reply.status, { ...reply.headers, 'content-length': reply.body.length }).end(reply.body);
    const replay = searches ? recorded.get(key) : undefined;
    if (replay) return answer(replay);
    upstream
      .request({ method: request.method as 'GET', path: request.url ?? '/', headers: forwardedHeaders(request.headers), body: body.length > 0 ? body : undefined })
      .then(async (reply) => {
        const headers = Object.fromEntries(passedHeaders.flatMap((name) => (reply.headers[name] === undefined ? [] : [[name, String(reply.headers[name])]])));
        const recording = { status: reply.statusCode, headers, body: Buffer.from(await reply.body.arrayBuffer()) };
        if (searches && reply.statusCode === 200) recorded.set(key, recording);
        answer(recording);
      })
      .catch((error: unknown) => response.writeHead(502, { 'content-type': 'text/plain' }).end(`upstream: ${String(error)}`));
  });
});
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  process.stdout.write(`${typeof address === 'object' && address ? address.port : ''}\n`);
});
process.once('SIGTERM', () => {
  server.close();
  void upstream.close();
  server.closeAllConnections();
});
