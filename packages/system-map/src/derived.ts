import { serviceNames, systemMap, type ServiceName, type ServiceSpec, type StoreEngine } from './system-map.js';

/** The services a service calls: every service that lists it among its callers, in map order. */
export function peersOf(name: ServiceName): ServiceName[] {
  return serviceNames.filter((peer) => systemMap[peer].callers.includes(name));
}

/** The variable that carries a service's address for its callers, e.g. `PRODUCTS_ADDR`. */
export function addressVariable(name: ServiceName): string {
  return `${name.toUpperCase()}_ADDR`;
}

/** The variable prefix of a service's own settings, e.g. `ORDERS` in `ORDERS_PORT`. */
export function variablePrefix(name: ServiceName): string {
  return name.toUpperCase();
}

/**
 * The variables a service's listening ports are read from: `<NAME>_PORT`, or `<NAME>_GRPC_PORT` and
 * `<NAME>_HTTP_PORT` for a service that also serves HTTP (the gateway).
 */
export function portVariables(name: ServiceName): { grpc: string; http?: string } {
  const prefix = variablePrefix(name);
  return systemMap[name].httpPort === undefined ? { grpc: `${prefix}_PORT` } : { grpc: `${prefix}_GRPC_PORT`, http: `${prefix}_HTTP_PORT` };
}

/** The services that own a store of the engine. */
export function ownersOf(engine: StoreEngine): ServiceName[] {
  return serviceNames.filter((name) => systemMap[name].store?.engine === engine);
}

/** The npm store drivers, each with the services allowed to depend on it. */
export function driverOwners(): { driver: string; owners: ServiceName[] }[] {
  const drivers = [...new Set(serviceNames.flatMap((name) => systemMap[name].store?.driver ?? []))];
  return drivers.map((driver) => ({ driver, owners: serviceNames.filter((name) => systemMap[name].store?.driver === driver) }));
}

/** Who consumes a service's event: the consuming services, by the event's message name. */
export function consumersOf(source: ServiceName, event: string): ServiceName[] {
  return serviceNames.filter((name) => systemMap[name].consumes.some((stream) => stream.source === source && stream.events.includes(event)));
}

/** A service whose map entry names a store. */
export function storeOwners(): { name: ServiceName; spec: ServiceSpec & Required<Pick<ServiceSpec, 'store'>> }[] {
  return serviceNames.flatMap((name) => {
    const spec = systemMap[name];
    return spec.store ? [{ name, spec: spec as ServiceSpec & Required<Pick<ServiceSpec, 'store'>> }] : [];
  });
}

/** The streams a service reads, by publishing service. */
export function sourcesOf(name: ServiceName): ServiceName[] {
  return [...new Set(systemMap[name].consumes.map((stream) => stream.source))];
}
