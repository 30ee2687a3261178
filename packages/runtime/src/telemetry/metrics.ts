import { metrics, type Attributes, type ObservableResult } from '@opentelemetry/api';

/** The runtime's meter; a no-op until an SDK with a metric reader is started. */
export const runtimeMeter = () => metrics.getMeter('@shop/runtime');

let rpcDuration: ReturnType<ReturnType<typeof runtimeMeter>['createHistogram']> | undefined;

/** Records one served call: rate, errors and duration by method and status code (rpc.server.call.duration, seconds). */
export function recordServerCall(service: string, method: string, code: string, system: 'grpc' | 'connect_rpc', seconds: number): void {
  rpcDuration ??= runtimeMeter().createHistogram('rpc.server.call.duration', {
    description: 'Duration of served RPCs, by method and status code',
    unit: 's',
    advice: { explicitBucketBoundaries: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] },
  });
  rpcDuration.record(seconds, { 'rpc.system.name': system, 'rpc.service': service, 'rpc.method': method, 'rpc.response.status_code': code });
}

/** One observation of a gauge: a value and the attributes that tell it apart (a saga state, a replica). */
export interface GaugeReading {
  readonly value: number;
  readonly attributes?: Attributes;
}

/**
 * Registers an observable gauge read at every collection (each /metrics scrape or OTLP export): a hook for a
 * service's own figures such as orders by saga state or replica lag. Returns a function that unregisters it.
 */
export function registerGauge(name: string, options: { description: string; unit?: string }, read: () => Promise<readonly GaugeReading[]> | readonly GaugeReading[]): () => void {
  const gauge = runtimeMeter().createObservableGauge(name, { description: options.description, ...(options.unit ? { unit: options.unit } : {}) });
  const callback = async (result: ObservableResult) => {
    for (const reading of await read()) result.observe(reading.value, reading.attributes);
  };
  gauge.addCallback(callback);
  return () => gauge.removeCallback(callback);
}
