/**
 * Preload of every service process (`node --import <runtime>/dist/telemetry-register.js dist/main.js`): starts the
 * OpenTelemetry SDK before the service's modules load, so the instrumentations patch them. Only the instrumentations
 * the service needs (its own store's driver, from the system map) load, and the ES-module hooks intercept only the
 * modules they patch, in the application's own thread where Node allows it. Loads nothing when no OTEL_* variable
 * asks for telemetry.
 */
import { processService, serviceInstrumentations, instrumentedModules } from './instrumentations.js';
import { setProcessTelemetry } from './process-telemetry.js';
import { telemetrySettings, telemetryWanted } from './settings.js';

/** Registers import-in-the-middle for the modules; resolves, once called, when the loader has taken every hook. */
async function registerModuleHooks(modules: string[]): Promise<() => Promise<void>> {
  if (modules.length === 0) return async () => undefined;
  const syncHooks = await import('import-in-the-middle/register-hooks.mjs');
  if (syncHooks.supportsSyncHooks()) {
    syncHooks.register({ include: modules });
    return async () => undefined;
  }
  const [{ register }, { createAddHookMessageChannel }] = await Promise.all([import('node:module'), import('import-in-the-middle')]);
  const { registerOptions, waitForAllMessagesAcknowledged } = createAddHookMessageChannel();
  register('import-in-the-middle/hook.mjs', import.meta.url, registerOptions);
  return waitForAllMessagesAcknowledged;
}

const settings = telemetrySettings();
if (telemetryWanted(settings)) {
  const [{ startTelemetry }, instrumentations] = await Promise.all([import('./sdk.js'), serviceInstrumentations(processService())]);
  const hooksTaken = await registerModuleHooks(instrumentedModules(instrumentations));
  const telemetry = await startTelemetry(settings, instrumentations);
  await hooksTaken();
  setProcessTelemetry(telemetry);
  const line = { level: 30, time: new Date().toISOString(), tracing: settings.tracing, metricsUrl: telemetry.metricsUrl, msg: 'telemetry started' };
  process.stdout.write(`${JSON.stringify(line)}\n`);
}
