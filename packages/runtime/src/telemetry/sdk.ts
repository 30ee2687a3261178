import { basename, dirname } from 'node:path';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { PrometheusExporter } from '@opentelemetry/exporter-prometheus';
import { OTLPMetricExporter as OtlpJsonMetricExporter } from '@opentelemetry/exporter-metrics-otlp-http';
import { OTLPMetricExporter as OtlpProtoMetricExporter } from '@opentelemetry/exporter-metrics-otlp-proto';
import { PeriodicExportingMetricReader, type IMetricReader } from '@opentelemetry/sdk-metrics';
import { serviceInstrumentations } from './instrumentations.js';
import { serveMetrics, type MetricsEndpoint } from './metrics-endpoint.js';
import type { TelemetrySettings } from './settings.js';

type Env = Readonly<Record<string, string | undefined>>;

/** The SDK of this process, once started. */
export interface RunningTelemetry {
  /** Where /metrics is served, when it is. */
  readonly metricsUrl?: string;
  /** Flushes spans and metrics and stops exporting. */
  shutdown(): Promise<void>;
}

/**
 * Starts the OpenTelemetry SDK for this process: the instrumentations, OTLP trace export as the OTEL_* variables
 * say (protocol, sampler, batch limits), and metrics on /metrics and by OTLP.
 */
export async function startTelemetry(settings: TelemetrySettings, env: Env = process.env): Promise<RunningTelemetry> {
  const prometheus = settings.prometheusPort === undefined ? undefined : new PrometheusExporter({ preventServerStart: true });
  const readers: IMetricReader[] = [...(prometheus ? [prometheus] : []), ...(settings.otlpMetrics ? [otlpMetricReader(env)] : [])];
  const sdk = new NodeSDK({
    ...(env.OTEL_SERVICE_NAME ? {} : { serviceName: serviceNameFromEntryPoint() }),
    instrumentations: serviceInstrumentations(),
    metricReaders: readers,
    ...(settings.tracing ? {} : { spanProcessors: [] }),
  });
  sdk.start();
  let endpoint: MetricsEndpoint | undefined;
  if (prometheus) endpoint = await serveMetrics(prometheus, settings.prometheusHost, settings.prometheusPort!);
  return {
    ...(endpoint ? { metricsUrl: endpoint.url } : {}),
    shutdown: async () => {
      await endpoint?.close();
      await sdk.shutdown();
    },
  };
}

function otlpMetricReader(env: Env): IMetricReader {
  const protocol = env.OTEL_EXPORTER_OTLP_METRICS_PROTOCOL ?? env.OTEL_EXPORTER_OTLP_PROTOCOL ?? 'http/protobuf';
  const exporter = protocol === 'http/json' ? new OtlpJsonMetricExporter() : new OtlpProtoMetricExporter();
  const interval = Number(env.OTEL_METRIC_EXPORT_INTERVAL ?? 60_000);
  return new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: Number.isFinite(interval) && interval > 0 ? interval : 60_000 });
}

/** services/<name>/src/main.ts names the service when OTEL_SERVICE_NAME is not set. */
function serviceNameFromEntryPoint(): string {
  const entry = process.argv[1] ?? 'node';
  const folder = basename(dirname(dirname(entry)));
  return basename(dirname(dirname(dirname(entry)))) === 'services' ? folder : basename(entry);
}
