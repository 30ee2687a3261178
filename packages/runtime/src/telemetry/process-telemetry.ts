/** What the preload started in this process, reachable from any copy of the runtime's modules. */
interface ProcessTelemetry {
  readonly metricsUrl?: string;
  shutdown(): Promise<void>;
}

const key = Symbol.for('shop.runtime.telemetry');
const slot = globalThis as { [key]?: ProcessTelemetry };

/** Records the SDK the preload started. */
export function setProcessTelemetry(telemetry: ProcessTelemetry): void {
  slot[key] = telemetry;
}

/** Where this process serves /metrics, when it does. */
export function metricsUrl(): string | undefined {
  return slot[key]?.metricsUrl;
}

/** Flushes and stops the SDK, if one was started (a no-op otherwise); called once the service has stopped. */
export async function shutdownTelemetry(): Promise<void> {
  const telemetry = slot[key];
  slot[key] = undefined;
  await telemetry?.shutdown();
}
