import { join } from 'node:path';
import { claimPort, logTail, supervise, type LogLine, type SupervisedProcess } from '@shop/local-stack';
import { serviceNodeArgs, waitUntilServing } from '@shop/runtime';
import { servicePort, type SystemPorts } from './ports.js';
import { serviceAddress, SERVICE_NAMES, type ServiceName } from './service-env.js';

/** The running services, stopped in reverse start order. */
export interface RunningServices {
  stop(): Promise<void>;
}

/** Ports a service binds, for the in-use check before it starts. */
function portsOf(ports: SystemPorts, name: ServiceName): number[] {
  return name === 'gateway' ? [ports.gatewayGrpc, ports.gatewayHttp] : [servicePort(ports, name)];
}

/**
 * Starts each service as its own process (with only its own environment), in dependency order, waiting for each to
 * report SERVING; every process dies with the launcher. Logs go to <dataDir>/logs/<service>.log.
 */
export async function startServices(
  environments: Record<ServiceName, Record<string, string>>,
  ports: SystemPorts,
  dataDir: string,
  log: LogLine,
): Promise<RunningServices> {
  const running: SupervisedProcess[] = [];
  const stop = async () => {
    for (const service of [...running].reverse()) await service.stop();
  };
  try {
    for (const name of SERVICE_NAMES) {
      for (const port of portsOf(ports, name)) await claimPort(port, `${name} service`);
      const logFile = join(dataDir, 'logs', `${name}.log`);
      const service = supervise({
        name,
        command: process.execPath,
        args: [...serviceNodeArgs(), `services/${name}/src/main.ts`],
        stopSignal: 'TERM',
        logFile,
        env: { PATH: process.env.PATH, HOME: process.env.HOME, ...environments[name] },
      });
      running.push(service);
      await waitUntilServing(serviceAddress(ports, name), 60_000).catch((error: unknown) => {
        throw new Error(`${name} did not start: ${String(error)}; ${logFile} ends with:\n${logTail(logFile)}`);
      });
      log(`${name}: SERVING on ${serviceAddress(ports, name)}`);
    }
  } catch (error) {
    await stop();
    throw error;
  }
  return { stop };
}
