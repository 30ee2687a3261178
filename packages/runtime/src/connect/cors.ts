import type { IncomingMessage, ServerResponse } from 'node:http';
import { cors as connectCors } from '@connectrpc/connect';

/** Which browser origins may call a Connect endpoint: exact origins, or patterns with `*` (for example `http://localhost:*`). */
export interface CorsSettings {
  readonly allowedOrigins: readonly string[];
}

const allowedHeaders = [...connectCors.allowedHeaders, 'authorization'].join(', ');
const exposedHeaders = [...connectCors.exposedHeaders, 'field'].join(', ');
const allowedMethods = connectCors.allowedMethods.join(', ');

/** Parses a comma-separated origin list (GATEWAY_CORS_ORIGINS style) into settings. */
export function corsOrigins(list: string | undefined): CorsSettings {
  return { allowedOrigins: (list ?? '').split(',').map((origin) => origin.trim()).filter((origin) => origin.length > 0) };
}

/**
 * Answers CORS for one endpoint: a preflight from an allowed origin gets 204 and Connect's headers, a call from one gets
 * Access-Control-Allow-Origin; anything from another origin gets 403. Requests without an Origin (curl, servers) pass.
 */
export class CorsPolicy {
  private readonly patterns: readonly RegExp[];

  constructor(settings: CorsSettings) {
    this.patterns = settings.allowedOrigins.map(originPattern);
  }

  /** Whether a browser on this origin may call. */
  allows(origin: string): boolean {
    return this.patterns.some((pattern) => pattern.test(origin));
  }

  /** Sets the CORS headers of a request; true when it was a preflight and has been answered. */
  handle(request: IncomingMessage, response: ServerResponse): boolean {
    const origin = request.headers.origin;
    const preflight = request.method === 'OPTIONS' && request.headers['access-control-request-method'] !== undefined;
    response.setHeader('Vary', 'Origin');
    if (origin === undefined) return false;
    if (!this.allows(origin)) {
      response.writeHead(403).end();
      return true;
    }
    response.setHeader('Access-Control-Allow-Origin', origin);
    response.setHeader('Access-Control-Expose-Headers', exposedHeaders);
    if (!preflight) return false;
    response.writeHead(204, {
      'Access-Control-Allow-Methods': allowedMethods,
      'Access-Control-Allow-Headers': allowedHeaders,
      'Access-Control-Max-Age': '7200',
    });
    response.end();
    return true;
  }
}

function originPattern(origin: string): RegExp {
  const escaped = origin.split('*').map((part) => part.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&'));
  return new RegExp(`^${escaped.join('[A-Za-z0-9-]+')}$`);
}
