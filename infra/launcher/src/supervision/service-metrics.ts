import { systemMap, type ServiceName } from '@shop/system-map';

/** What `npm run status` shows of a service's own metrics. */
export interface ServiceFigures {
  /** Outbox events not yet on the bus; "-" for a service that publishes nothing. */
  readonly outboxBacklog: string;
  /** Events its consumers have not acknowledged yet (pending plus in flight), summed over its consumers; "-" when it consumes nothing. */
  readonly consumerLag: string;
}

/** The sum of a metric's samples in Prometheus text, whatever their labels; undefined when the metric is absent. */
export function sumOfSamples(text: string, metric: string): number | undefined {
  const sample = new RegExp(`^${metric}(?:_[a-z]+)?(?:\\{[^}]*\\})? ([0-9.eE+-]+|NaN)$`, 'gm');
  let sum: number | undefined;
  for (const match of text.matchAll(sample)) sum = (sum ?? 0) + Number(match[1]);
  return sum;
}

/** Reads the figures from the service's Prometheus endpoint; a service that does not answer shows why. */
export async function serviceFigures(name: ServiceName, metricsUrl: string): Promise<ServiceFigures> {
  const spec = systemMap[name];
  const publishes = spec.publishes.length > 0;
  const consumes = spec.consumes.length > 0;
  let text: string;
  try {
    const response = await fetch(metricsUrl, { signal: AbortSignal.timeout(3000) });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    text = await response.text();
  } catch (error) {
    const why = `no /metrics (${error instanceof Error ? error.message : String(error)})`;
    return { outboxBacklog: publishes ? why : '-', consumerLag: consumes ? why : '-' };
  }
  const figure = (wanted: boolean, metric: string, missing: string) => (wanted ? String(sumOfSamples(text, metric) ?? missing) : '-');
  return {
    outboxBacklog: figure(publishes, 'outbox_backlog', 'not reported yet'),
    consumerLag: figure(consumes, 'messaging_consumer_lag', 'not reported yet (bus not reached)'),
  };
}
