import { join } from 'node:path';
import { claimPort, type LogLine, type Supervision, type SupervisedProcess } from '@shop/local-stack';
import { startServiceProcess } from './supervision/service-process.js';
import type { SystemPorts } from './ports.js';
import { serviceAddress, SERVICE_NAMES, type ServiceName } from './service-env.js';

/** The running services, stopped in reverse start order. */
export interface RunningServices {
  stop(): Promise<void>;
}

/** Ports a service binds, for the in-use check before it starts. */
function portsOf(ports: SystemPorts, name: ServiceName): number[] {
  return name === 'gateway' ? [ports.gatewayGrpc, ports.gatewayHttp] : [ports[name]];
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
  supervision?: Supervision,
): Promise<RunningServices> {
  const running: SupervisedProcess[] = [];
  const stop = async () => {
    for (const service of [...running].reverse()) await service.stop();
  };
  try {
    for (const name of SERVICE_NAMES) {
      for (const port of portsOf(ports, name)) await claimPort(port, `${name} service`);
      const logFile = join(dataDir, 'logs', `${name}.log`);
      const options = {
        name,
        command: process.execPath,
        args: ['--import', 'tsx', `services/${name}/src/main.ts`],
        stopSignal: 'TERM' as const,
        logFile,
        env: { PATH: process.env.PATH, HOME: process.env.HOME, ...environments[name] },
      };
      running.push(await startServiceProcess(options, serviceAddress(ports, name), supervision));
      log(`${name}: SERVING on ${serviceAddress(ports, name)}`);
    }
  } catch (error) {
    await stop();
    throw error;
  }
  return { stop };
}
