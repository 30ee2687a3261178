import type { ServiceName } from '@shop/system-map';

/** The peers a service must find SERVING before it can start, by service. */
export type StartNeeds = Readonly<Record<ServiceName, readonly ServiceName[]>>;

/**
 * What each service calls while it starts. None calls a peer before it serves: every peer client connects on its first
 * call (orders' saga recovery leaves a saga due while products is down, search rebuilds only when asked, the gateway
 * composes per request), so each one starts as soon as its own stores are ready. A service that comes to need a peer
 * at boot names it here, and the launcher starts it after that peer.
 */
export const START_NEEDS: StartNeeds = { products: [], users: [], cart: [], search: [], orders: [], analytics: [], gateway: [] };
