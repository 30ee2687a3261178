import { parseArgs } from 'node:util';
import { TokenAuthority } from '../auth/jwt.js';
import { ConfigError } from '@shop/runtime';
import { loadConfig } from '../config.js';

const usage = `Mints a bearer token for the storefront gateway.
Usage: node --import tsx services/gateway/src/cli/mint-token.ts --user <user-id> [--admin] [--ttl 12h]
Reads GATEWAY_JWT_SECRET (and GATEWAY_JWT_ISSUER) like the gateway does.`;

const { values } = parseArgs({
  options: { user: { type: 'string' }, admin: { type: 'boolean', default: false }, ttl: { type: 'string', default: '12h' }, help: { type: 'boolean', default: false } },
});
if (values.help || !values.user) {
  process.stdout.write(`${usage}\n`);
  process.exit(values.help ? 0 : 2);
}
const config = loadConfigOrExit();
const token = await new TokenAuthority(config.jwtSecret, config.jwtIssuer).mint(
  { userId: values.user, roles: values.admin ? ['admin'] : [] },
  values.ttl,
);
process.stdout.write(`${token}\n`);

function loadConfigOrExit() {
  try {
    return loadConfig();
  } catch (error) {
    process.stderr.write(`${error instanceof ConfigError ? error.message : String(error)}\n`);
    process.exit(1);
  }
}
