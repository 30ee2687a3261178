import { describe, expect, it, jest } from '@jest/globals';
import { serviceNames, systemMap, type ServiceSpec } from '@shop/system-map';
import type { IDeployment } from 'kubernetes-models/apps/v1/Deployment';

/** A service the map does not have yet, added to this test file's copy of the map (jest isolates modules per file). */
const reviews: ServiceSpec = {
  api: 'shop.review.v1.ReviewService',
  port: 20057,
  store: { engine: 'postgresql', driver: 'pg', urlVariable: 'REVIEWS_DATABASE_URL', namespace: 'reviews', user: 'reviews_svc' },
  callers: ['gateway', 'orders'],
  publishes: ['ReviewPosted'],
  consumes: [],
};

/** A service whose store is a file in its own process, on an engine the map does not know yet. */
const notes: ServiceSpec = {
  api: 'shop.note.v1.NoteService',
  port: 20058,
  store: { engine: 'sqlite' as never, driver: 'better-sqlite3', urlVariable: 'NOTES_SQLITE_PATH', namespace: 'notes.db', user: 'notes_svc' },
  callers: ['gateway'],
  publishes: [],
  consumes: [{ source: 'orders', events: ['OrderPlaced'], durable: 'notes-order-placed' }],
};

/** What the build would write for the added services once their folders exist (main.js, and a migrate command). */
const addedOutputs = ['reviews', 'notes'].flatMap((name) => [`services/${name}/dist/main.js`, `services/${name}/dist/cli/migrate.js`]);
const build = await import('../../../scripts/build-targets.js');
jest.unstable_mockModule('../../../scripts/build-targets.js', () => ({ ...build, buildOutputs: () => new Set([...build.buildOutputs(), ...addedOutputs]) }));
(serviceNames as unknown as string[]).push('reviews', 'notes');
Object.assign(systemMap as unknown as Record<string, ServiceSpec>, { reviews, notes });

const { matrixViolations, networkMatrix } = await import('../src/network-matrix.js');
const { expectedMatrix, systemWorkloads } = await import('../src/network-model.js');
const { renderOverlay } = await import('../src/render.js');
const { validateManifests } = await import('../src/validate.js');
const { storeRenderers } = await import('../src/stores/index.js');
const { embeddedStoreMountPath, renderEmbeddedStore } = await import('../src/stores/embedded.js');
Object.assign(storeRenderers, { sqlite: renderEmbeddedStore });

describe('services added to the system map', () => {
  const objects = renderOverlay('production');
  const named = (kind: string, name: string) => objects.find((object) => object.kind === kind && object.metadata.name === name);

  it('get their workloads, their own stores and their policies with no change to the renderer', async () => {
    for (const [kind, name] of [
      ['Deployment', 'reviews'],
      ['Service', 'reviews'],
      ['HorizontalPodAutoscaler', 'reviews'],
      ['Cluster', 'reviews-db'],
      ['NetworkPolicy', 'service-reviews'],
      ['NetworkPolicy', 'store-reviews-db'],
      ['Deployment', 'notes'],
      ['PersistentVolumeClaim', 'notes-sqlite'],
      ['NetworkPolicy', 'service-notes'],
    ] as const) {
      expect({ kind, name, rendered: named(kind, name) !== undefined }).toEqual({ kind, name, rendered: true });
    }
    expect((named('ConfigMap', 'gateway-config') as unknown as { data: Record<string, string> }).data.REVIEWS_ADDR).toBe('reviews:20057');
    expect(await validateManifests(objects)).toEqual([]);
  });

  it('run an embedded store in one pod that mounts its volume, migrations included, with no HPA and no store policy', () => {
    const deployment = named('Deployment', 'notes') as unknown as IDeployment;
    const pod = deployment.spec?.template.spec;
    expect(deployment.spec).toMatchObject({ replicas: 1, strategy: { type: 'Recreate' } });
    expect(pod?.volumes).toContainEqual({ name: 'store', persistentVolumeClaim: { claimName: 'notes-sqlite' } });
    for (const container of [...(pod?.initContainers ?? []), ...(pod?.containers ?? [])]) {
      expect({ container: container.name, mounts: container.volumeMounts }).toEqual({ container: container.name, mounts: expect.arrayContaining([{ name: 'store', mountPath: embeddedStoreMountPath }]) });
      expect(container.env).toContainEqual({ name: 'NOTES_SQLITE_PATH', value: `${embeddedStoreMountPath}/notes.db` });
    }
    expect(pod?.initContainers?.map((container) => container.command?.at(-1))).toEqual(['services/notes/dist/cli/migrate.js']);
    expect(named('HorizontalPodAutoscaler', 'notes')).toBeUndefined();
    expect(objects.filter((object) => object.kind === 'NetworkPolicy' && object.metadata.name.startsWith('store-notes'))).toEqual([]);
  });

  it('are reachable by exactly their callers, and their stores by themselves only', () => {
    const workloads = systemWorkloads('production', objects);
    const matrix = networkMatrix(objects, workloads);
    expect(matrixViolations(matrix, expectedMatrix('production', workloads))).toEqual([]);
    const into = (destination: string) => [...matrix.ingress].filter((entry) => entry.split(' → ')[1]?.startsWith(`${destination}:`)).sort();
    expect(into('reviews')).toEqual(['gateway → reviews:20057', 'orders → reviews:20057']);
    expect(into('notes')).toEqual(['gateway → notes:20058']);
    expect(into('reviews-db')).toEqual([
      'operator@cnpg-system → reviews-db:5432',
      'operator@cnpg-system → reviews-db:8000',
      'reviews → reviews-db:5432',
      'reviews-db → reviews-db:5432',
      'reviews-db → reviews-db:8000',
    ]);
  });
});
