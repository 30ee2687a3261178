import { context, propagation, trace, SpanKind, SpanStatusCode, type TextMapSetter } from '@opentelemetry/api';
import { ConnectError, type Interceptor } from '@connectrpc/connect';

const tracer = () => trace.getTracer('@shop/runtime/connect');
const headerSetter: TextMapSetter<Headers> = { set: (headers, key, value) => headers.set(key, value) };

/**
 * Client interceptor of the service clients' transport (calls made on a grpc-js channel directly, which the grpc
 * instrumentation does not patch): one CLIENT span per attempt (retries show as siblings), and the W3C trace context
 * in the request headers for the server to continue.
 */
export function tracingInterceptor(peer: string): Interceptor {
  return (next) => async (request) => {
    const attributes = { 'rpc.system': 'grpc', 'rpc.service': request.service.typeName, 'rpc.method': request.method.name, 'server.address': peer };
    return tracer().startActiveSpan(`${request.service.typeName}/${request.method.name}`, { kind: SpanKind.CLIENT, attributes }, async (span) => {
      propagation.inject(context.active(), request.header, headerSetter);
      try {
        const response = await next(request);
        span.setAttribute('rpc.grpc.status_code', 0);
        return response;
      } catch (error) {
        const code = ConnectError.from(error).code;
        span.setAttribute('rpc.grpc.status_code', code);
        span.setStatus({ code: SpanStatusCode.ERROR, message: ConnectError.from(error).rawMessage });
        throw error;
      } finally {
        span.end();
      }
    });
  };
}

/** Names the active server span (the HTTP request's) after the Connect method it serves and adds the RPC attributes. */
export function nameServerSpan(service: string, method: string): void {
  const span = trace.getActiveSpan();
  span?.updateName(`${service}/${method}`);
  span?.setAttributes({ 'rpc.system': 'connect_rpc', 'rpc.service': service, 'rpc.method': method });
}
