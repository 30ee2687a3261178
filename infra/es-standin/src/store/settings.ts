import { isObject as isRecord, type JsonObject as Settings } from '../json.js';

function setPath(target: Settings, path: string[], value: unknown): void {
  const [head, ...rest] = path;
  if (head === undefined) return;
  if (rest.length === 0) {
    target[head] = isRecord(value) ? expandDotted(value) : value;
    return;
  }
  const child = isRecord(target[head]) ? target[head] : {};
  target[head] = child;
  setPath(child, rest, value);
}

function expandDotted(settings: Settings): Settings {
  const expanded: Settings = {};
  for (const [key, value] of Object.entries(settings)) setPath(expanded, key.split('.'), value);
  return expanded;
}

function stringifyScalars(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(stringifyScalars);
  if (isRecord(value)) return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, stringifyScalars(inner)]));
  return typeof value === 'number' || typeof value === 'boolean' ? String(value) : value;
}

/** Index-level settings from a create-index body, in the nested, string-valued form `GET /<index>/_settings` shows. */
export function normaliseIndexSettings(raw: unknown, identity: { name: string; uuid: string; creationDate: number }): Settings {
  const expanded = isRecord(raw) ? expandDotted(raw) : {};
  const { index: nested, ...flat } = expanded;
  const provided = { ...flat, ...(isRecord(nested) ? nested : {}) };
  return stringifyScalars({
    number_of_shards: '1',
    number_of_replicas: '1',
    ...provided,
    routing: { allocation: { include: { _tier_preference: 'data_content' } } },
    provided_name: identity.name,
    creation_date: identity.creationDate,
    uuid: identity.uuid,
    version: { created: '9000000' },
  }) as Settings;
}
