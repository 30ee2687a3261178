import { readFileSync } from 'node:fs';
import { Ajv, type ValidateFunction } from 'ajv';
import type { Manifest } from './manifest.js';

/** The operators' custom resources, each validated against the CRD schema vendored from the operator's release. */
export const crdSchemas: Readonly<Record<string, string>> = {
  'postgresql.cnpg.io/v1/Cluster': 'postgresql.cnpg.io-v1-cluster.json',
  'mongodbcommunity.mongodb.com/v1/MongoDBCommunity': 'mongodbcommunity.mongodb.com-v1-mongodbcommunity.json',
  'elasticsearch.k8s.elastic.co/v1/Elasticsearch': 'elasticsearch.k8s.elastic.co-v1-elasticsearch.json',
};

type Schema = Record<string, unknown>;

/**
 * The schema as the API server applies it with strict field validation (kubectl's default): a field the schema does
 * not declare is an error, except below `x-kubernetes-preserve-unknown-fields`.
 */
export function strictSchema(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(strictSchema);
  if (schema === null || typeof schema !== 'object') return schema;
  const node = Object.fromEntries(Object.entries(schema as Schema).map(([key, value]) => [key, key === 'enum' || key === 'default' || key === 'example' ? value : strictSchema(value)]));
  const open = node['x-kubernetes-preserve-unknown-fields'] === true || 'additionalProperties' in node;
  if (node.properties && !open) node.additionalProperties = false;
  return node;
}

const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
const compiled = new Map<string, ValidateFunction>();

function crdValidator(file: string): ValidateFunction {
  const cached = compiled.get(file);
  if (cached) return cached;
  const schema = JSON.parse(readFileSync(new URL(`../schemas/${file}`, import.meta.url), 'utf8')) as Schema;
  delete schema.$comment;
  const validate = ajv.compile(strictSchema(schema) as Schema);
  compiled.set(file, validate);
  return validate;
}

const dnsLabel = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

function builtInModule(apiVersion: string, kind: string): string {
  return `kubernetes-models/${apiVersion}/${kind}`;
}

type ModelModule = Record<string, new (data: unknown) => { validate(): void }>;

const models = new Map<string, Promise<ModelModule | undefined>>();

function modelModule(path: string): Promise<ModelModule | undefined> {
  let loading = models.get(path);
  if (!loading) {
    loading = (import(path) as Promise<ModelModule>).catch(() => undefined);
    models.set(path, loading);
  }
  return loading;
}

async function validateBuiltIn(object: Manifest): Promise<string[]> {
  const Model = (await modelModule(builtInModule(object.apiVersion, object.kind)))?.[object.kind];
  if (!Model) return [`${object.apiVersion} ${object.kind} is neither a Kubernetes kind nor a known custom resource`];
  try {
    new Model(object).validate();
    return [];
  } catch (error) {
    return [error instanceof Error ? error.message : String(error)];
  }
}

/** The problems of many objects, checked one after another (module loading stays sequential). */
export async function validateManifests(objects: readonly Manifest[]): Promise<string[]> {
  const problems: string[] = [];
  for (const object of objects) problems.push(...(await validateManifest(object)));
  return problems;
}

/**
 * The problems of one object, empty when it is valid: built-in kinds against the Kubernetes OpenAPI schema
 * (kubernetes-models), custom resources against their CRD's schema with unknown fields refused, and every name a
 * DNS label.
 */
export async function validateManifest(object: Manifest): Promise<string[]> {
  const where = `${object.kind}/${object.metadata.name}`;
  const problems: string[] = [];
  if (!dnsLabel.test(object.metadata.name) || object.metadata.name.length > 63) problems.push('metadata.name is not a DNS label');
  const crd = crdSchemas[`${object.apiVersion}/${object.kind}`];
  if (crd) {
    const validate = crdValidator(crd);
    if (!validate(object)) problems.push(...(validate.errors ?? []).map((error) => `${error.instancePath || '/'} ${error.message ?? ''} ${JSON.stringify(error.params)}`));
  } else {
    problems.push(...(await validateBuiltIn(object)));
  }
  return problems.map((problem) => `${where}: ${problem}`);
}
