import { natsPasswordVariable, serviceNames } from '@shop/system-map';
import { natsClients, natsUsersSecret } from './nats.js';
import { serviceSecret } from './conventions.js';
import { secretSettings } from './service-workload.js';
import { namespace, overlays } from './settings.js';
import { renderStores } from './stores/index.js';
import type { RequiredSecret } from './stores/store-kind.js';

/** Every Secret the manifests and the NATS values reference and nothing creates: store credentials, NATS passwords, the services' secret settings. */
export function requiredSecrets(): RequiredSecret[] {
  const stores = [...renderStores(overlays.production).values()].flatMap((store) => store.secrets);
  const settings = serviceNames.flatMap((name): RequiredSecret[] => {
    const keys = secretSettings[name] ?? [];
    return keys.length > 0 ? [{ name: serviceSecret(name), type: 'Opaque', keys: Object.fromEntries(keys.map((key) => [key, `${key} of ${name}`])) }] : [];
  });
  const nats: RequiredSecret = {
    name: natsUsersSecret,
    type: 'Opaque',
    keys: Object.fromEntries(natsClients.map((name) => [natsPasswordVariable(name), `the NATS password of ${name} (URL-safe)`])),
  };
  return [...stores, nats, ...settings];
}

const generated = (key: string) => key === 'password' || /SECRET|PASSWORD/.test(key);

/** A shell script creating every required Secret once, with fresh random values for the secret keys (kept when the Secret exists). */
export function createSecretsScript(): string {
  const lines = [
    '#!/bin/sh',
    '# Rendered from the system map by `npm run k8s:render`; do not edit.',
    `# Creates every Secret the manifests reference in namespace ${namespace}, with random passwords (letters and digits,`,
    '# safe in URLs). A Secret that already exists is left alone. Needs kubectl (pointed at the cluster) and openssl.',
    'set -eu',
    `ns="\${NAMESPACE:-${namespace}}"`,
    'random() { openssl rand -hex 24; }',
    'create() {',
    '  name="$1"; shift',
    '  if kubectl -n "$ns" get secret "$name" >/dev/null 2>&1; then echo "secret $name exists, kept"; return; fi',
    '  kubectl -n "$ns" create secret generic "$name" "$@"',
    '}',
    `kubectl get namespace "$ns" >/dev/null 2>&1 || kubectl create namespace "$ns"`,
  ];
  for (const secret of requiredSecrets()) {
    const literals = Object.keys(secret.keys).map((key) =>
      generated(key) ? `--from-literal=${key}="$(random)"` : `--from-literal=${key}=${secret.keys[key] ?? ''}`,
    );
    lines.push(`create ${secret.name} --type=${secret.type} ${literals.join(' ')}`);
  }
  return `${lines.join('\n')}\n`;
}
