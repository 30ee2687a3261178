import { healthStatus } from '@shop/runtime';

const address = process.argv[2];
if (!address) {
  console.error('usage: node deploy/dist/healthcheck.js <host:port>');
  process.exit(2);
}

const status = await healthStatus(address, '', 3000).catch((error: unknown) => `UNREACHABLE (${error instanceof Error ? error.message : String(error)})`);
if (status !== 'SERVING') console.error(`${address}: ${status}`);
process.exit(status === 'SERVING' ? 0 : 1);
