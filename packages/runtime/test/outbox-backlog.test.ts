import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { metrics } from '@opentelemetry/api';
import { MeterProvider, MetricReader, type GaugeMetricData } from '@opentelemetry/sdk-metrics';
import { createServer } from 'node:net';
import { createLogger, startEventPublishing, type EventPublishing } from '../src/index.js';

/** A reader collected on demand, as a /metrics scrape collects. */
class OnDemandReader extends MetricReader {
  protected override onShutdown(): Promise<void> {
    return Promise.resolve();
  }
  protected override onForceFlush(): Promise<void> {
    return Promise.resolve();
  }
}

describe('the outbox backlog gauge', () => {
  const reader = new OnDemandReader();
  let publishing: EventPublishing | undefined;

  beforeAll(() => {
    metrics.setGlobalMeterProvider(new MeterProvider({ readers: [reader] }));
  });
  afterAll(async () => {
    await publishing?.close();
    await reader.shutdown();
    metrics.disable();
  });

  it('reports the waiting events while the bus has never been reachable', async () => {
    const closedPort = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, '127.0.0.1', () => {
        const { port } = probe.address() as { port: number };
        probe.close(() => resolve(port));
      });
    });
    publishing = startEventPublishing({
      natsUrl: `nats://127.0.0.1:${closedPort}`,
      service: 'products',
      namespace: 'backlog-test',
      store: { unpublished: () => Promise.resolve([]), markPublished: () => Promise.resolve(), countUnpublished: () => Promise.resolve(7) },
      logger: createLogger('backlog-test', 'silent'),
    });
    const { resourceMetrics } = await reader.collect();
    const backlog = resourceMetrics.scopeMetrics.flatMap((scope) => scope.metrics).find((metric) => metric.descriptor.name === 'outbox.backlog') as GaugeMetricData | undefined;
    expect(backlog?.dataPoints.map((point) => point.value)).toEqual([7]);
  });
});
