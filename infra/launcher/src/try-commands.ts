import { LOOPBACK, type SystemPorts } from './ports.js';

const bufCurl = 'npx buf curl --protocol grpc --http2-prior-knowledge';

/** Commands to try against the running gateway: list its services, a search, and a checkout as the demo user. */
export function tryCommands(ports: SystemPorts, demo: { token?: string; productId?: string }): string[] {
  const gateway = `http://${LOOPBACK}:${ports.gatewayGrpc}`;
  const method = (name: string) => `${gateway}/shop.storefront.v1.StorefrontService/${name}`;
  const commands = [`${bufCurl} --list-methods ${gateway}`, `${bufCurl} --data '{"query": "trail shoe"}' ${method('SearchProducts')}`];
  if (demo.token && demo.productId) {
    const auth = `-H 'Authorization: Bearer ${demo.token}'`;
    commands.push(
      `${bufCurl} ${auth} --data '{"productId": "${demo.productId}", "quantity": 1}' ${method('AddCartItem')} && ` +
        `${bufCurl} ${auth} --data '{"idempotencyKey": "first-checkout", "shippingAddressLines": ["1 Demo Street", "10000 Sampletown"]}' ${method('Checkout')}`,
    );
  }
  return commands;
}
