import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Mints a bearer token for a demo user with the gateway's own token command, compiled by setup. */
export async function mintDemoToken(userId: string, jwtSecret: string): Promise<string> {
  const { stdout } = await run(process.execPath, ['services/gateway/dist/cli/mint-token.js', '--user', userId, '--ttl', '7d'], {
    env: { PATH: process.env.PATH, GATEWAY_JWT_SECRET: jwtSecret },
  });
  return stdout.trim();
}
