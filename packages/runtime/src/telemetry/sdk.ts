import { basename, dirname } from 'node:path';
import { metrics } from '@opentelemetry/api';
import { registerInstrumentations, type InstrumentationBase } from '@opentelemetry/instrumentation';
import { defaultResource, detectResources, envDetector, resourceFromAttributes, type Resource } from '@opentelemetry/resources';
import { MeterProvider, type IMetricReader } from '@opentelemetry/sdk-metrics';
import { BatchSpanProcessor, ConsoleSpanExporter, NodeTracerProvider, type SpanExporter } from '@opentelemetry/sdk-trace-node';
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
 * Starts the OpenTelemetry SDK for this process: the instrumentations, trace export as the OTEL_* variables say
 * (OTLP over http/protobuf or http/json, or console; sampler, batch limits, endpoint and headers are read by the SDK
 * itself), and metrics on /metrics and by OTLP; then enables the instrumentations.
 */
export async function startTelemetry(settings: TelemetrySettings, instrumentations: InstrumentationBase[], env: Env = process.env): Promise<RunningTelemetry> {
  const resource = serviceResource(env);
  const tracerProvider = settings.tracing ? new NodeTracerProvider({ resource, spanProcessors: (await traceExporters(env)).map((exporter) => new BatchSpanProcessor(exporter)) }) : undefined;
  tracerProvider?.register();
  const prometheus = settings.prometheusPort === undefined ? undefined : await prometheusReader();
  const readers: IMetricReader[] = [...(prometheus ? [prometheus] : []), ...(settings.otlpMetrics ? [await otlpMetricReader(env)] : [])];
  const meterProvider = readers.length > 0 ? new MeterProvider({ resource, readers }) : undefined;
  if (meterProvider) metrics.setGlobalMeterProvider(meterProvider);
  const unregister = registerInstrumentations({ instrumentations });
  let endpoint: MetricsEndpoint | undefined;
  if (prometheus) endpoint = await serveMetrics(prometheus, settings.prometheusHost, settings.prometheusPort!);
  return {
    ...(endpoint ? { metricsUrl: endpoint.url } : {}),
    shutdown: async () => {
      unregister();
      await endpoint?.close();
      await Promise.all([tracerProvider?.shutdown(), meterProvider?.shutdown()]);
    },
  };
}

function serviceResource(env: Env): Resource {
  const fallback = resourceFromAttributes({ 'service.name': env.OTEL_SERVICE_NAME ?? serviceNameFromEntryPoint() });
  return defaultResource().merge(fallback).merge(detectResources({ detectors: [envDetector] }));
}

/** The exporters OTEL_TRACES_EXPORTER names (otlp by default), OTLP by OTEL_EXPORTER_OTLP_[TRACES_]PROTOCOL. */
async function traceExporters(env: Env): Promise<SpanExporter[]> {
  const names = (env.OTEL_TRACES_EXPORTER ?? 'otlp').split(',').map((name) => name.trim()).filter(Boolean);
  const exporters: SpanExporter[] = [];
  if (names.includes('console')) exporters.push(new ConsoleSpanExporter());
  if (names.includes('otlp') || exporters.length === 0) {
    const protocol = env.OTEL_EXPORTER_OTLP_TRACES_PROTOCOL ?? env.OTEL_EXPORTER_OTLP_PROTOCOL ?? 'http/protobuf';
    if (protocol === 'http/json') exporters.push(new (await import('@opentelemetry/exporter-trace-otlp-http')).OTLPTraceExporter());
    else if (protocol === 'http/protobuf') exporters.push(new (await import('@opentelemetry/exporter-trace-otlp-proto')).OTLPTraceExporter());
    else throw new Error(`OTEL_EXPORTER_OTLP_PROTOCOL ${JSON.stringify(protocol)} is not supported here: use http/protobuf or http/json`);
  }
  return exporters;
}

async function prometheusReader() {
  const { PrometheusExporter } = await import('@opentelemetry/exporter-prometheus');
  return new PrometheusExporter({ preventServerStart: true });
}

async function otlpMetricReader(env: Env): Promise<IMetricReader> {
  const { PeriodicExportingMetricReader } = await import('@opentelemetry/sdk-metrics');
  const protocol = env.OTEL_EXPORTER_OTLP_METRICS_PROTOCOL ?? env.OTEL_EXPORTER_OTLP_PROTOCOL ?? 'http/protobuf';
  const exporter =
    protocol === 'http/json' ? new (await import('@opentelemetry/exporter-metrics-otlp-http')).OTLPMetricExporter() : new (await import('@opentelemetry/exporter-metrics-otlp-proto')).OTLPMetricExporter();
  const interval = Number(env.OTEL_METRIC_EXPORT_INTERVAL ?? 60_000);
  return new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: Number.isFinite(interval) && interval > 0 ? interval : 60_000 });
}

/** services/<name>/src/main.ts names the service when OTEL_SERVICE_NAME is not set. */
function serviceNameFromEntryPoint(): string {
  const entry = process.argv[1] ?? 'node';
  const folder = basename(dirname(dirname(entry)));
  return basename(dirname(dirname(dirname(entry)))) === 'services' ? folder : basename(entry);
}
