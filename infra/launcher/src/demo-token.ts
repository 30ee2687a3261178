import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** The gateway's JWT secret for local runs: generated once and kept in the data folder. */
export async function localJwtSecret(path: string): Promise<string> {
  const existing = (await readFile(path, 'utf8').catch(() => '')).trim();
  if (existing.length >= 32) return existing;
  const secret = randomBytes(32).toString('hex');
  await writeFile(path, `${secret}\n`, { mode: 0o600 });
  return secret;
}

/** Mints a bearer token for a demo user with the gateway's own token command. */
export async function mintDemoToken(userId: string, jwtSecret: string): Promise<string> {
  const { stdout } = await run(process.execPath, ['--import', 'tsx', 'services/gateway/src/cli/mint-token.ts', '--user', userId, '--ttl', '7d'], {
    env: { PATH: process.env.PATH, GATEWAY_JWT_SECRET: jwtSecret },
  });
  return stdout.trim();
}
