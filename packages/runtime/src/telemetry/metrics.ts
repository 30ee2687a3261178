import { metrics, type Attributes, type ObservableResult } from '@opentelemetry/api';

/** The runtime's meter; a no-op until an SDK with a metric reader is started. */
export const runtimeMeter = () => metrics.getMeter('@shop/runtime');

type Histogram = ReturnType<ReturnType<typeof runtimeMeter>['createHistogram']>;

let rpcDuration: Histogram | undefined;

const durationHistogram = (): Histogram =>
  (rpcDuration ??= runtimeMeter().createHistogram('rpc.server.call.duration', {
    description: 'Duration of served RPCs, by method and status code',
    unit: 's',
    advice: { explicitBucketBoundaries: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] },
  }));

/** Records the served calls of one method (rpc.server.call.duration, seconds): a status code name and a duration. */
export type ServerCallRecorder = (code: string, seconds: number) => void;

/**
 * The recorder of one method's served calls: rate, errors and duration by status code. The attributes of each code
 * are built once, on its first call, and the histogram is looked up once, so a call records only its duration.
 */
export function serverCallRecorder(service: string, method: string, system: 'grpc' | 'connect_rpc'): ServerCallRecorder {
  const attributesByCode = new Map<string, Attributes>();
  return (code, seconds) => {
    let attributes = attributesByCode.get(code);
    if (!attributes) {
      attributes = { 'rpc.system.name': system, 'rpc.service': service, 'rpc.method': method, 'rpc.response.status_code': code };
      attributesByCode.set(code, attributes);
    }
    durationHistogram().record(seconds, attributes);
  };
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
