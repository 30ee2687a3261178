import { connect, type ClientHttp2Session } from 'node:http2';
import { Code } from '@connectrpc/connect';

/** What a raw call got back: a status code name (as in Code), or Hang when nothing answered in time. */
export type RawOutcome = { code: string; message: string };

/** An HTTP/2 session to a gRPC server, for frames no generated client would send. */
export function rawGrpcSession(address: string): ClientHttp2Session {
  const session = connect(`http://${address}`);
  session.on('error', () => undefined);
  return session;
}

/** Sends one gRPC message frame holding payload as is (its length prefix correct) and reports the grpc-status. */
export function rawGrpcCall(session: ClientHttp2Session, path: string, payload: Uint8Array, timeoutMs: number): Promise<RawOutcome> {
  return new Promise((resolve) => {
    const frame = Buffer.alloc(5 + payload.byteLength);
    frame.writeUInt32BE(payload.byteLength, 1);
    frame.set(payload, 5);
    const stream = session.request({ ':method': 'POST', ':path': path, 'content-type': 'application/grpc', te: 'trailers', 'grpc-timeout': `${timeoutMs}m` });
    let status: string | undefined;
    let message = '';
    const take = (headers: Record<string, unknown>) => {
      if (headers['grpc-status'] === undefined) return;
      status = String(headers['grpc-status']);
      message = decodeURIComponent(String(headers['grpc-message'] ?? ''));
    };
    const timer = setTimeout(() => {
      stream.close();
      resolve({ code: 'Hang', message: `no answer within ${timeoutMs + 2000} ms` });
    }, timeoutMs + 2000);
    stream.on('response', take);
    stream.on('trailers', take);
    stream.on('data', () => undefined);
    stream.on('error', () => undefined);
    stream.on('close', () => {
      clearTimeout(timer);
      resolve(status === undefined ? { code: 'Unknown', message: `stream closed without a status (rst ${stream.rstCode})` } : { code: codeName(Number(status)), message });
    });
    stream.end(frame);
  });
}

/** Posts a body to a Connect endpoint as is and reports the Connect code of the answer. */
export async function rawConnectCall(url: string, body: Uint8Array | string, contentType: string, timeoutMs: number): Promise<RawOutcome> {
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': contentType, 'connect-protocol-version': '1', 'connect-timeout-ms': String(timeoutMs) },
      body,
      signal: AbortSignal.timeout(timeoutMs + 2000),
    });
    const text = await response.text();
    const grpcStatus = response.headers.get('grpc-status') ?? /grpc-status:\s*(\d+)/.exec(text)?.[1];
    if (grpcStatus !== undefined && grpcStatus !== null) return { code: codeName(Number(grpcStatus)), message: response.headers.get('grpc-message') ?? '' };
    if (response.ok) return { code: 'Ok', message: '' };
    const parsed = parsedJson(text);
    if (parsed === undefined) return { code: `Http${response.status}`, message: text.slice(0, 200) };
    return { code: connectCodeName(parsed.code ?? 'unknown'), message: parsed.message ?? '' };
  } catch (error) {
    const name = error instanceof Error ? error.name : '';
    return { code: name === 'TimeoutError' ? 'Hang' : 'Unknown', message: String(error) };
  }
}

/** The name Code gives a gRPC status number, `Ok` for 0. */
export function codeName(status: number): string {
  return status === 0 ? 'Ok' : (Code[status] ?? String(status));
}

/** `invalid_argument` → `InvalidArgument`, the name Code gives it. */
export function connectCodeName(code: string): string {
  return code.split('_').map((part) => part.charAt(0).toUpperCase() + part.slice(1)).join('');
}

function parsedJson(text: string): { code?: string; message?: string } | undefined {
  try {
    return JSON.parse(text) as { code?: string; message?: string };
  } catch {
    return undefined;
  }
}
