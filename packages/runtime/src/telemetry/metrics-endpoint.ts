import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { PrometheusExporter } from '@opentelemetry/exporter-prometheus';
import { metricsPath } from './instrumentations.js';

/** The running /metrics endpoint. */
export interface MetricsEndpoint {
  readonly url: string;
  close(): Promise<void>;
}

/** Serves the exporter's metrics in the Prometheus text format at /metrics (404 elsewhere). */
export async function serveMetrics(exporter: PrometheusExporter, host: string, port: number): Promise<MetricsEndpoint> {
  const server: Server = createServer((request, response) => {
    if (request.method === 'GET' && (request.url ?? '').split('?')[0] === metricsPath) exporter.getMetricsRequestHandler(request, response);
    else response.writeHead(404).end();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error) => reject(new Error(`cannot serve metrics on ${host}:${port}: ${error.message}`)));
    server.listen(port, host, resolve);
  });
  server.unref();
  const bound = (server.address() as AddressInfo).port;
  return {
    url: `http://${host}:${bound}${metricsPath}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
