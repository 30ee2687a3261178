/**
 * npm modules that stay imports resolved from node_modules even in outputs that compile their npm dependencies in:
 * the drivers and servers OpenTelemetry's instrumentations patch as they load (a compiled-in copy would go untraced),
 * the loader hooks that patch them, @opentelemetry/api (one instance per process, shared by the telemetry preload and
 * the service), native addons, and packages that read files from their own folder or start worker threads at run time.
 */
const KEPT_EXTERNAL: readonly string[] = [
  '@grpc/grpc-js',
  'pg',
  'pg-native',
  'mongodb',
  'ioredis',
  '@opentelemetry/api',
  'import-in-the-middle',
  'require-in-the-middle',
  'grpc-health-check',
  '@grpc/reflection',
  '@grpc/proto-loader',
  'protobufjs',
  'pino',
  'thread-stream',
  '@duckdb/node-api',
  '@duckdb/node-bindings',
  'postgrator',
];

/** The package a bare import specifier names: "@scope/name" or "name". */
function packageOf(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
}

/** Whether an output that compiles its npm dependencies in still imports this one from node_modules. */
export function staysExternal(specifier: string): boolean {
  return KEPT_EXTERNAL.includes(packageOf(specifier));
}
