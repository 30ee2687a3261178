/**
 * Preload of every service process (`node --import tsx --import @shop/runtime/telemetry/register main.ts`): starts
 * the OpenTelemetry SDK before the service's modules load, so the instrumentations patch them. Loads nothing
 * when no OTEL_* variable asks for telemetry.
 */
import { register } from 'node:module';
import { setProcessTelemetry } from './process-telemetry.js';
import { telemetrySettings, telemetryWanted } from './settings.js';

const settings = telemetrySettings();
if (telemetryWanted(settings)) {
  const [{ startTelemetry }, { createAddHookMessageChannel }] = await Promise.all([import('./sdk.js'), import('import-in-the-middle')]);
  const { registerOptions, waitForAllMessagesAcknowledged } = createAddHookMessageChannel();
  register('import-in-the-middle/hook.mjs', import.meta.url, registerOptions);
  const telemetry = await startTelemetry(settings);
  await waitForAllMessagesAcknowledged();
  setProcessTelemetry(telemetry);
  const line = { level: 30, time: new Date().toISOString(), tracing: settings.tracing, metricsUrl: telemetry.metricsUrl, msg: 'telemetry started' };
  process.stdout.write(`${JSON.stringify(line)}\n`);
}
