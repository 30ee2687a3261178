import { isDeepStrictEqual } from 'node:util';
import { serviceNames } from '@shop/system-map';
import { publicServices, renderIngress } from './ingress.js';
import { partOf } from './labels.js';
import { objectKey, type Manifest } from './manifest.js';
import { renderNetworkPolicies } from './network-policies.js';
import { renderService } from './service-workload.js';
import { namespace, overlays, type OverlayName } from './settings.js';
import { renderStores } from './stores/index.js';

/** A rendered object and the file (component) it is written to. */
export interface PlacedManifest {
  readonly file: string;
  readonly object: Manifest;
}

function placed(file: string, objects: readonly Manifest[]): PlacedManifest[] {
  return objects.map((object) => {
    const { name, ...rest } = object.metadata;
    return { file, object: { ...object, metadata: { name, namespace, ...rest } } };
  });
}

/** Every object of one overlay, each with its file, in apply order; an object rendered twice must be identical. */
export function renderPlaced(name: OverlayName): PlacedManifest[] {
  const overlay = overlays[name];
  const stores = renderStores(overlay);
  const all: PlacedManifest[] = [
    { file: 'namespace', object: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace, labels: { ...partOf } } } },
    ...placed('network-policies', renderNetworkPolicies(stores, overlay) as Manifest[]),
    ...[...stores].flatMap(([, store]) => placed(`store-${store.instance}`, store.objects)),
    ...serviceNames.flatMap((service) => placed(`service-${service}`, renderService(service, stores.get(service), overlay))),
    ...placed('ingress', publicServices(serviceNames).map((service) => renderIngress(service, overlay)) as Manifest[]),
  ];
  return deduplicated(all);
}

function deduplicated(entries: PlacedManifest[]): PlacedManifest[] {
  const seen = new Map<string, PlacedManifest>();
  for (const entry of entries) {
    const key = objectKey(entry.object);
    const earlier = seen.get(key);
    if (earlier && !isDeepStrictEqual(earlier.object, entry.object)) throw new Error(`${key} is rendered twice, differently`);
    if (!earlier) seen.set(key, entry);
  }
  return [...seen.values()];
}

/** Every object of one overlay, in apply order. */
export function renderOverlay(name: OverlayName): Manifest[] {
  return renderPlaced(name).map((entry) => entry.object);
}
