import { fileURLToPath } from 'node:url';

/** Node arguments that start a service process with the TypeScript loader and the telemetry preload, in that order. */
export function serviceNodeArgs(): string[] {
  return ['--import', 'tsx', '--import', fileURLToPath(new URL('./register.ts', import.meta.url))];
}
