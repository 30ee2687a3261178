import { fileURLToPath } from 'node:url';

/**
 * Node arguments that start a compiled service process (services/<name>/dist/main.js, built by setup) with source
 * maps and the compiled telemetry preload, which starts the OpenTelemetry SDK before the service's modules load.
 */
export function serviceNodeArgs(): string[] {
  return ['--enable-source-maps', '--import', fileURLToPath(new URL('../../dist/telemetry-register.js', import.meta.url))];
}
