import { describe, expect, it } from '@jest/globals';
import { serviceNames, systemMap, type ServiceSpec } from '@shop/system-map';
import { matrixViolations, networkMatrix } from '../src/network-matrix.js';
import { expectedMatrix, systemWorkloads } from '../src/network-model.js';
import { renderOverlay } from '../src/render.js';
import { validateManifests } from '../src/validate.js';

/** A service the map does not have yet, added to this test file's copy of the map (jest isolates modules per file). */
const reviews: ServiceSpec = {
  api: 'shop.review.v1.ReviewService',
  port: 20057,
  store: { engine: 'postgresql', driver: 'pg', urlVariable: 'REVIEWS_DATABASE_URL', namespace: 'reviews', user: 'reviews_svc' },
  callers: ['gateway', 'orders'],
  publishes: ['ReviewPosted'],
  consumes: [],
};

describe('a service added to the system map', () => {
  (serviceNames as unknown as string[]).push('reviews');
  (systemMap as unknown as Record<string, ServiceSpec>).reviews = reviews;
  const objects = renderOverlay('production');
  const named = (kind: string, name: string) => objects.find((object) => object.kind === kind && object.metadata.name === name);

  it('gets its workload, its own database cluster and its policies with no change to the renderer', async () => {
    for (const [kind, name] of [
      ['Deployment', 'reviews'],
      ['Service', 'reviews'],
      ['HorizontalPodAutoscaler', 'reviews'],
      ['Cluster', 'reviews-db'],
      ['NetworkPolicy', 'service-reviews'],
      ['NetworkPolicy', 'store-reviews-db'],
    ] as const) {
      expect({ kind, name, rendered: named(kind, name) !== undefined }).toEqual({ kind, name, rendered: true });
    }
    expect((named('ConfigMap', 'gateway-config') as unknown as { data: Record<string, string> }).data.REVIEWS_ADDR).toBe('reviews:20057');
    expect(await validateManifests(objects)).toEqual([]);
  });

  it('is reachable by exactly its callers, and its database by itself only', () => {
    const workloads = systemWorkloads('production', objects);
    const matrix = networkMatrix(objects, workloads);
    expect(matrixViolations(matrix, expectedMatrix('production', workloads))).toEqual([]);
    const into = (destination: string) => [...matrix.ingress].filter((entry) => entry.split(' → ')[1]?.startsWith(`${destination}:`)).sort();
    expect(into('reviews')).toEqual(['gateway → reviews:20057', 'orders → reviews:20057']);
    expect(into('reviews-db')).toEqual([
      'operator@cnpg-system → reviews-db:5432',
      'operator@cnpg-system → reviews-db:8000',
      'reviews → reviews-db:5432',
      'reviews-db → reviews-db:5432',
      'reviews-db → reviews-db:8000',
    ]);
  });
});
