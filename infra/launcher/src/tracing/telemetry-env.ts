import { LOOPBACK, type SystemPorts } from '../ports.js';
import { SERVICE_NAMES, type ServiceName } from '../service-env.js';

type Env = Readonly<Record<string, string | undefined>>;

/** The port of a service's /metrics endpoint. */
export function metricsPort(ports: SystemPorts, name: ServiceName): number {
  return ports[`${name}Metrics`];
}

/**
 * Each service's telemetry environment: its service name, its /metrics port, and the user's OTEL_* variables; traces
 * go to the local receiver unless the user set an OTLP endpoint (then they go there instead).
 */
export function telemetryEnvironments(ports: SystemPorts, receiverEndpoint: string | undefined, env: Env = process.env): Record<ServiceName, Record<string, string>> {
  const fromUser = Object.fromEntries(Object.entries(env).filter((entry): entry is [string, string] => entry[0].startsWith('OTEL_') && entry[0] !== 'OTEL_SERVICE_NAME' && entry[1] !== undefined));
  const endpoint = receiverEndpoint ? { OTEL_EXPORTER_OTLP_ENDPOINT: receiverEndpoint, OTEL_METRICS_EXPORTER: 'prometheus' } : {};
  const entries = SERVICE_NAMES.map((name) => [
    name,
    { OTEL_SERVICE_NAME: name, OTEL_EXPORTER_PROMETHEUS_HOST: LOOPBACK, OTEL_EXPORTER_PROMETHEUS_PORT: String(metricsPort(ports, name)), ...endpoint, ...fromUser },
  ]);
  return Object.fromEntries(entries) as Record<ServiceName, Record<string, string>>;
}

/** Whether the user pointed the services at an OTLP receiver of their own. */
export function userOtlpEndpoint(env: Env = process.env): string | undefined {
  return env.OTEL_EXPORTER_OTLP_ENDPOINT || env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT || undefined;
}

/** Lines telling where metrics and traces go. */
export function telemetrySummary(ports: SystemPorts, traces: { receiver?: string; spansFile?: string; userEndpoint?: string }, prometheusUrl?: string): string[] {
  const metrics = SERVICE_NAMES.map((name) => `  ${name.padEnd(9)} http://${LOOPBACK}:${metricsPort(ports, name)}/metrics`);
  const where = traces.userEndpoint
    ? [`Traces: exported by OTLP to ${traces.userEndpoint} (OTEL_EXPORTER_OTLP_ENDPOINT).`]
    : [`Traces: received by the local OTLP/HTTP receiver at ${traces.receiver}, stored in ${traces.spansFile}.`, '  Show one: npm run trace -- <order id or trace id>'];
  const scraper = prometheusUrl ? [`  scraped by Prometheus at ${prometheusUrl}`] : ['  (for Prometheus scraping them all: bash scripts/setup.sh --with prometheus)'];
  return ['Metrics (Prometheus text format):', ...metrics, ...scraper, ...where];
}
