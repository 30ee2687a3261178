import type { DownstreamPorts } from '../domain/ports.js';
import { analyticsPeer } from './analytics-peer.js';
import { cartPeer } from './cart-peer.js';
import type { DownstreamClients } from './downstream-clients.js';
import { ordersPeer } from './orders-peer.js';
import { productsPeer } from './products-peer.js';
import { searchPeer } from './search-peer.js';
import { usersPeer } from './users-peer.js';

/** The domain's ports over the downstream clients. */
export function downstreamPorts(clients: DownstreamClients): DownstreamPorts {
  return {
    products: productsPeer(clients.products),
    search: searchPeer(clients.search),
    cart: cartPeer(clients.cart),
    orders: ordersPeer(clients.orders),
    users: usersPeer(clients.users),
    analytics: analyticsPeer(clients.analytics),
  };
}
