import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { EsError } from '../errors.js';
import { openAccess } from '../security/index-access.js';
import { routedIndexAccess } from '../security/index-actions.js';
import type { UserDirectory } from '../security/users.js';
import type { Cluster } from '../store/cluster.js';
import { parseFilterPath } from './filter-path.js';
import { checkParameters } from './parameters.js';
import { RequestContext, type Reply } from './request-context.js';
import type { Router } from './router.js';
import { TurnQueue } from './turns.js';

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.once('end', () => resolve(chunks.length === 1 ? chunks[0]!.toString('utf8') : Buffer.concat(chunks).toString('utf8')));
    request.once('error', reject);
  });
}

function contentTypeFor(request: IncomingMessage): string {
  const wanted = `${request.headers.accept ?? ''} ${request.headers['content-type'] ?? ''}`;
  if (!wanted.includes('vnd.elasticsearch')) return 'application/json';
  const version = /compatible-with=(\d+)/.exec(wanted)?.[1] ?? '9';
  return `application/vnd.elasticsearch+json;compatible-with=${version}`;
}

function noHandler(method: string, path: string, allowed: string[]): Reply {
  if (allowed.length > 0) {
    return {
      status: 405,
      body: { error: `Incorrect HTTP method for uri [${path}] and method [${method}], allowed: [${allowed.join(', ')}]`, status: 405 },
    };
  }
  return { status: 400, body: { error: `no handler found for uri [${path}] and method [${method}]`, status: 400 } };
}

/** Where requests are served: the router, the cluster and, when users are configured, who may do what. */
export interface ServerState {
  router: Router;
  cluster: Cluster;
  users?: UserDirectory;
}

/**
 * Routes and answers one request, once its body has arrived and its turn has come (turns.ts); `filter_path` filters a
 * handler's reply, never an error body (as Elasticsearch).
 */
async function dispatch({ router, cluster, users }: ServerState, turns: TurnQueue, request: IncomingMessage, url: URL): Promise<Reply> {
  const method = request.method ?? 'GET';
  const body = await readBody(request);
  await turns.next();
  const access = users ? await users.authenticate(request.headers.authorization, request.url ?? '/') : openAccess;
  const { route, allowed } = router.match(method, url.pathname);
  if (!route) return noHandler(method, url.pathname, allowed);
  checkParameters(url.pathname, url.searchParams, route.parameters);
  const addressed = routedIndexAccess(method, route.pattern, route.params);
  if (addressed) access.authorize(addressed.action, ...addressed.expressions);
  const filter = parseFilterPath(url.searchParams.get('filter_path'));
  try {
    const reply = await route.handler(new RequestContext(cluster, method, route.params, url.searchParams, body, access));
    return filter && reply.body !== undefined ? { ...reply, body: filter.apply(reply.body) } : reply;
  } finally {
    await cluster.commit();
  }
}

function toErrorReply(error: unknown, log: (line: string) => void): Reply {
  if (error instanceof EsError) return { status: error.status, body: error.toBody(), headers: error.httpHeaders() };
  log(`es-standin: internal error: ${(error as Error).stack ?? String(error)}`);
  const internal = new EsError(500, 'exception', (error as Error).message ?? String(error));
  return { status: 500, body: internal.toBody() };
}

/** Sends the reply; its body as a string goes out with the head in one socket write (a Buffer would be a second, writev). */
function send(request: IncomingMessage, response: ServerResponse, reply: Reply, url: URL): void {
  const pretty = url.searchParams.has('pretty');
  const body = reply.body === undefined ? '' : JSON.stringify(reply.body, undefined, pretty ? 2 : undefined);
  response.writeHead(reply.status, {
    ...reply.headers,
    'X-elastic-product': 'Elasticsearch',
    'content-type': contentTypeFor(request),
    'content-length': Buffer.byteLength(body),
  });
  response.end(request.method === 'HEAD' ? undefined : body);
}

const baseUrl = new URL('http://stand-in/');

/** An HTTP server answering Elasticsearch REST requests from the router; errors become Elasticsearch error bodies. */
export function createEsServer(state: ServerState, log: (line: string) => void): Server {
  const turns = new TurnQueue();
  return createServer((request, response) => {
    let url = baseUrl;
    const answered = (async () => {
      url = new URL(request.url ?? '/', baseUrl);
      return dispatch(state, turns, request, url);
    })();
    answered
      .catch((error: unknown) => toErrorReply(error, log))
      .then((reply) => send(request, response, reply, url))
      .catch((error: unknown) => {
        log(`es-standin: failed to answer: ${String(error)}`);
        response.destroy();
      });
  });
}
