import { Server, ServerCredentials, type UntypedServiceImplementation } from '@grpc/grpc-js';
import type { DescMethodUnary, DescService } from '@bufbuild/protobuf';
import type { ServiceImpl } from '@connectrpc/connect';
import type { Logger } from 'pino';
import { addReflection } from './reflection.js';
import { ServiceHealth, type HealthCheck } from './health.js';
import { grpcServiceDefinition } from './service-definition.js';
import { InFlightCalls, unaryHandler, type UnaryHandlerOptions, type UnaryMethodImpl } from './unary-handler.js';
import type { StoreOutageClassifier } from '../shell/store-errors.js';
import type { Admission } from '../limits/caller-rate-limit.js';
import { defaultServerProtection, grpcServerOptions, type ServerProtection } from '../limits/server-protection.js';

/** A generated service paired with its implementation. */
export interface ServiceBinding<S extends DescService = DescService> {
  readonly service: S;
  readonly impl: Partial<ServiceImpl<S>>;
}

/** Binds an implementation to its generated service, type-checked against the service's methods. */
export function bindService<S extends DescService>(service: S, impl: ServiceImpl<S>): ServiceBinding {
  return { service, impl: impl as Partial<ServiceImpl<DescService>> };
}

/** Options of startGrpcServer. */
export interface GrpcServerOptions {
  readonly services: readonly ServiceBinding[];
  readonly logger: Logger;
  /** Interface to bind; 127.0.0.1 keeps the service internal. */
  readonly host: string;
  /** Port to bind; 0 picks a free one. */
  readonly port: number;
  /** Checks of the service's own stores and needs; health is NOT_SERVING while one fails. */
  readonly healthChecks?: Record<string, HealthCheck>;
  readonly healthIntervalMs?: number;
  /** How long shutdown waits for calls in progress. */
  readonly shutdownTimeoutMs?: number;
  /** Recognise outages of the service's stores: a call failing on one answers UNAVAILABLE naming the store. */
  readonly storeOutages?: readonly StoreOutageClassifier[];
  /** Limits on what one caller may ask of the server; each unset value keeps defaultServerProtection's. */
  readonly protection?: Partial<ServerProtection>;
  /** Runs before every call's handler, for example per-caller rate limits (see rateLimitAdmission). */
  readonly admission?: Admission;
  /** Closed in reverse order after the server stops: stores, relays, consumers. */
  readonly resources?: ReadonlyArray<{ name: string; close: () => Promise<void> | void }>;
}

/** A running server. */
export interface RunningServer {
  readonly port: number;
  readonly address: string;
  /** Reports NOT_SERVING, lets calls in progress finish within the bound, stops the server and closes resources. */
  shutdown(): Promise<void>;
}

/**
 * grpc-js keeps channelz figures (call counts and message timestamps per connection) on every call unless told not
 * to; nothing here reads channelz, and the RPC metrics count calls by method and code.
 */
const withoutChannelz = { 'grpc.enable_channelz': 0 } as const;

/** Starts a grpc-js server with the given services, grpc.health.v1 and server reflection, protected by size, stream and time limits. */
export async function startGrpcServer(options: GrpcServerOptions): Promise<RunningServer> {
  const { logger } = options;
  const protection = { ...defaultServerProtection, ...options.protection };
  const server = new Server({ ...grpcServerOptions(protection), ...withoutChannelz });
  const handlerOptions: UnaryHandlerOptions = { logger, inFlight: new InFlightCalls(), storeOutages: options.storeOutages ?? [], maxCallMs: protection.maxCallMs, admission: options.admission };
  for (const { service, impl } of options.services) {
    server.addService(grpcServiceDefinition(service), handlersOf(service, impl, handlerOptions));
  }
  const health = new ServiceHealth(options.services.map(({ service }) => service.typeName), options.healthChecks ?? {}, logger);
  health.addToServer(server);
  addReflection(server, options.services.map(({ service }) => service));
  const port = await bind(server, options.host, options.port);
  await health.start(options.healthIntervalMs ?? 2000);
  const address = `${options.host}:${port}`;
  logger.info({ address, services: options.services.map(({ service }) => service.typeName) }, 'listening');
  let stopping: Promise<void> | undefined;
  const shutdown = () => (stopping ??= stop(server, health, handlerOptions.inFlight, options));
  return { port, address, shutdown };
}

function handlersOf(service: DescService, impl: Partial<ServiceImpl<DescService>>, options: UnaryHandlerOptions): UntypedServiceImplementation {
  const handlers: UntypedServiceImplementation = {};
  for (const method of service.methods) {
    const methodImpl = (impl as Record<string, UnaryMethodImpl | undefined>)[method.localName];
    if (!methodImpl) throw new Error(`${service.typeName}/${method.name} has no implementation`);
    if (method.methodKind !== 'unary') throw new Error(`${service.typeName}/${method.name}: only unary methods are served`);
    handlers[method.localName] = unaryHandler(service, method as DescMethodUnary, methodImpl.bind(impl), options);
  }
  return handlers;
}

function bind(server: Server, host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.bindAsync(`${host}:${port}`, ServerCredentials.createInsecure(), (error, boundPort) => {
      if (error) reject(new Error(`cannot listen on ${host}:${port}: ${error.message}`));
      else resolve(boundPort);
    });
  });
}

async function stop(server: Server, health: ServiceHealth, inFlight: InFlightCalls, options: GrpcServerOptions): Promise<void> {
  const { logger } = options;
  const bound = options.shutdownTimeoutMs ?? 10_000;
  logger.info('shutting down');
  health.markShuttingDown();
  await inFlight.drain(bound);
  await new Promise<void>((resolve) => {
    const timer = setTimeout(() => {
      server.forceShutdown();
      resolve();
    }, 1000);
    server.tryShutdown(() => {
      clearTimeout(timer);
      resolve();
    });
  });
  for (const resource of [...(options.resources ?? [])].reverse()) {
    try {
      await resource.close();
    } catch (error) {
      logger.warn({ err: error, resource: resource.name }, 'failed to close');
    }
  }
  logger.info('stopped');
}
