/** What the standard OTEL_* variables switch on in a service process. */
export interface TelemetrySettings {
  /** Spans are recorded and exported by OTLP (an OTLP traces endpoint or exporter is configured). */
  readonly tracing: boolean;
  /** Metrics are exported by OTLP as well as served on /metrics. */
  readonly otlpMetrics: boolean;
  /** Port of the Prometheus /metrics endpoint (0 picks a free one), when OTEL_EXPORTER_PROMETHEUS_PORT is set. */
  readonly prometheusPort?: number;
  /** Interface of the /metrics endpoint (OTEL_EXPORTER_PROMETHEUS_HOST, default 127.0.0.1). */
  readonly prometheusHost: string;
}

type Env = Readonly<Record<string, string | undefined>>;

const isSet = (value: string | undefined): value is string => value !== undefined && value.trim() !== '';
const exporters = (value: string | undefined) => (value ?? '').split(',').map((name) => name.trim()).filter(Boolean);

/**
 * Reads the standard variables. Nothing is on unless configured: tracing needs OTEL_TRACES_EXPORTER (not "none") or
 * an OTLP endpoint; OTLP metrics need OTEL_METRICS_EXPORTER with "otlp", or an endpoint when that is unset; /metrics
 * needs OTEL_EXPORTER_PROMETHEUS_PORT; OTEL_SDK_DISABLED=true turns everything off.
 */
export function telemetrySettings(env: Env = process.env): TelemetrySettings {
  const prometheusHost = isSet(env.OTEL_EXPORTER_PROMETHEUS_HOST) ? env.OTEL_EXPORTER_PROMETHEUS_HOST : '127.0.0.1';
  if (env.OTEL_SDK_DISABLED?.trim().toLowerCase() === 'true') return { tracing: false, otlpMetrics: false, prometheusHost };
  const traceExporters = exporters(env.OTEL_TRACES_EXPORTER);
  const metricExporters = exporters(env.OTEL_METRICS_EXPORTER);
  const tracing = traceExporters.length > 0 ? !traceExporters.includes('none') : isSet(env.OTEL_EXPORTER_OTLP_ENDPOINT) || isSet(env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT);
  const otlpMetrics =
    metricExporters.length > 0 ? metricExporters.includes('otlp') : isSet(env.OTEL_EXPORTER_OTLP_ENDPOINT) || isSet(env.OTEL_EXPORTER_OTLP_METRICS_ENDPOINT);
  const port = env.OTEL_EXPORTER_PROMETHEUS_PORT;
  const prometheusPort = isSet(port) && !metricExporters.includes('none') ? Number(port) : undefined;
  if (prometheusPort !== undefined && !(Number.isInteger(prometheusPort) && prometheusPort >= 0 && prometheusPort <= 65535)) {
    throw new Error(`OTEL_EXPORTER_PROMETHEUS_PORT must be a port number (0-65535), got ${JSON.stringify(port)}`);
  }
  return { tracing, otlpMetrics, prometheusHost, ...(prometheusPort !== undefined ? { prometheusPort } : {}) };
}

/** Whether any part of the SDK has to load. */
export function telemetryWanted(settings: TelemetrySettings): boolean {
  return settings.tracing || settings.otlpMetrics || settings.prometheusPort !== undefined;
}
