import { join } from 'node:path';
import { claimPort, type LogLine, type Supervision, type SupervisedProcess } from '@shop/local-stack';
import { serviceNodeArgs } from '@shop/runtime';
import { peersOf } from '@shop/system-map';
import { servicePort, type SystemPorts } from './ports.js';
import { START_NEEDS, type StartNeeds } from './start-needs.js';
import { compileCacheEnvironment, serviceNodeFlags } from './supervision/node-flags.js';
import { startServiceProcess } from './supervision/service-process.js';
import { serviceAddress, SERVICE_NAMES, type ServiceName } from './service-env.js';

/** The running services, stopped callers first. */
export interface RunningServices {
  stop(): Promise<void>;
}

/** Ports a service binds, for the in-use check before it starts. */
function portsOf(ports: SystemPorts, name: ServiceName): number[] {
  return name === 'gateway' ? [ports.gatewayGrpc, ports.gatewayHttp] : [servicePort(ports, name)];
}

/** The compiled entry point of a service (setup builds it), with source maps, the telemetry preload and its local V8 flags. */
export function serviceCommandArgs(name: ServiceName): string[] {
  return [...serviceNodeFlags(name), ...serviceNodeArgs(), `services/${name}/dist/main.js`];
}

/**
 * Runs `start` for every service as soon as the peers it needs while starting (START_NEEDS) have started, so
 * independent services start in parallel; rejects with the first failure once every started attempt has settled.
 */
export async function inDependencyOrder(names: readonly ServiceName[], start: (name: ServiceName) => Promise<void>, needs: StartNeeds = START_NEEDS): Promise<void> {
  const started = new Map<ServiceName, Promise<void>>();
  const startOf = (name: ServiceName): Promise<void> => {
    let promise = started.get(name);
    if (!promise) {
      promise = Promise.all(needs[name].filter((peer) => names.includes(peer)).map(startOf)).then(() => start(name));
      started.set(name, promise);
    }
    return promise;
  };
  const results = await Promise.allSettled(names.map(startOf));
  const failure = results.find((result): result is PromiseRejectedResult => result.status === 'rejected');
  if (failure) throw failure.reason;
}

/** Where and how startServices runs the services. */
export interface ServiceStartOptions {
  readonly ports: SystemPorts;
  /** Logs go to <dataDir>/logs/<service>.log. */
  readonly dataDir: string;
  readonly log: LogLine;
  readonly supervision?: Supervision;
  /** Hears of each service that came up. */
  readonly onServing?: (name: ServiceName) => void;
  /** Aborting it (a store failed to start, say) stops the services not yet SERVING, and the start rejects. */
  readonly signal?: AbortSignal;
}

/**
 * Starts each service as its own process (with only its own environment) from its compiled bundle, each as soon as
 * its environment is at hand (see StartingStores.storesOf) and the peers it needs at start report SERVING; every
 * process dies with the launcher.
 */
export async function startServices(environmentOf: (name: ServiceName) => Promise<Record<string, string>>, startOptions: ServiceStartOptions): Promise<RunningServices> {
  const { ports, dataDir, log, supervision, onServing = () => undefined, signal } = startOptions;
  const running = new Map<ServiceName, SupervisedProcess>();
  const stop = () => stopCallersFirst(running);
  try {
    for (const name of SERVICE_NAMES) for (const port of portsOf(ports, name)) await claimPort(port, `${name} service`);
    await inDependencyOrder(SERVICE_NAMES, async (name) => {
      const environment = await environmentOf(name);
      const logFile = join(dataDir, 'logs', `${name}.log`);
      const options = {
        name,
        command: process.execPath,
        args: serviceCommandArgs(name),
        stopSignal: 'TERM' as const,
        logFile,
        env: { PATH: process.env.PATH, HOME: process.env.HOME, ...compileCacheEnvironment(), ...environment },
      };
      running.set(name, await startServiceProcess(options, serviceAddress(ports, name), supervision, signal));
      log(`${name}: SERVING on ${serviceAddress(ports, name)}`);
      onServing(name);
    });
  } catch (error) {
    await stop();
    throw error;
  }
  return { stop };
}

/** Stops every service after the services that call it, independent ones at the same time. */
async function stopCallersFirst(running: ReadonlyMap<ServiceName, SupervisedProcess>): Promise<void> {
  const stopped = new Map<ServiceName, Promise<void>>();
  const stopOf = (name: ServiceName): Promise<void> => {
    let promise = stopped.get(name);
    if (!promise) {
      const callers = SERVICE_NAMES.filter((caller) => peersOf(caller).includes(name));
      promise = Promise.allSettled(callers.map(stopOf)).then(() => running.get(name)?.stop());
      stopped.set(name, promise);
    }
    return promise;
  };
  await Promise.allSettled(SERVICE_NAMES.map(stopOf));
}
