import { isDeepStrictEqual } from 'node:util';
import { stringify } from 'yaml';
import { objectKey, type Manifest } from './manifest.js';
import { natsChart, natsValues } from './nats.js';
import { renderPlaced, type PlacedManifest } from './render.js';
import { createSecretsScript } from './secrets.js';
import { overlayNames, overlays } from './settings.js';

const header = '# Rendered from the system map by `npm run k8s:render`; do not edit, edit deploy/kubernetes/src and render again.\n';

function documents(objects: readonly Manifest[]): string {
  return header + objects.map((object) => stringify(object, { lineWidth: 0, aliasDuplicateObjects: false })).join('---\n');
}

function kustomization(resources: readonly string[]): string {
  return header + stringify({ apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization', resources }, { lineWidth: 0, aliasDuplicateObjects: false });
}

function byFile(entries: readonly PlacedManifest[]): Map<string, Manifest[]> {
  const files = new Map<string, Manifest[]>();
  for (const entry of entries) files.set(entry.file, [...(files.get(entry.file) ?? []), entry.object]);
  return files;
}

/**
 * The Kustomize layout, as file path (under deploy/kubernetes) to content: base/ holds every object rendered
 * identically in all overlays, overlays/<name>/ the rest of that overlay plus the NATS chart values.
 */
export function renderLayout(): Map<string, string> {
  const placed = new Map(overlayNames.map((name) => [name, renderPlaced(name)]));
  const identical = (entry: PlacedManifest) =>
    overlayNames.every((name) => placed.get(name)?.some((other) => objectKey(other.object) === objectKey(entry.object) && isDeepStrictEqual(other.object, entry.object)));
  const first = placed.get(overlayNames[0]) ?? [];
  const base = byFile(first.filter(identical));
  const files = new Map<string, string>();
  for (const [file, objects] of base) files.set(`base/${file}.yaml`, documents(objects));
  files.set('base/kustomization.yaml', kustomization([...base.keys()].map((file) => `${file}.yaml`)));
  for (const name of overlayNames) {
    const own = byFile((placed.get(name) ?? []).filter((entry) => !identical(entry)));
    for (const [file, objects] of own) files.set(`overlays/${name}/${file}.yaml`, documents(objects));
    files.set(`overlays/${name}/kustomization.yaml`, kustomization(['../../base', ...[...own.keys()].map((file) => `${file}.yaml`)]));
    files.set(
      `overlays/${name}/nats-values.yaml`,
      `${header}# Values for the ${natsChart.name} Helm chart ${natsChart.version} (${natsChart.repository}), installed as release "nats".\n` +
        stringify(natsValues(overlays[name]), { lineWidth: 0, aliasDuplicateObjects: false }),
    );
  }
  files.set('secrets/create-secrets.sh', createSecretsScript());
  return files;
}
