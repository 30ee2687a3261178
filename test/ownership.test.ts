import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const root = process.cwd();
const depcruise = join(root, 'node_modules/.bin/depcruise');
const config = join(root, '.dependency-cruiser.cjs');
const driverOwners: Record<string, string[]> = { pg: ['orders', 'users'], mongodb: ['products'], '@elastic/elasticsearch': ['search'], ioredis: ['cart'] };

interface Violation {
  rule: { name: string };
  from: string;
  to: string;
}

async function violationsIn(cwd: string, paths: string[]): Promise<Violation[]> {
  const { stdout } = await run(depcruise, ['--config', config, '--output-type', 'json', ...paths], { cwd, maxBuffer: 64 * 1024 * 1024 }).catch(
    (error: { stdout?: string }) => ({ stdout: error.stdout ?? '{}' }),
  );
  return (JSON.parse(stdout) as { summary: { violations: Violation[] } }).summary.violations;
}

async function writeFiles(base: string, files: Record<string, string>): Promise<void> {
  for (const [path, content] of Object.entries(files)) {
    await mkdir(dirname(join(base, path)), { recursive: true });
    await writeFile(join(base, path), content);
  }
}

describe('ownership rules', () => {
  let sandbox: string;

  beforeAll(async () => {
    sandbox = await mkdtemp(join(tmpdir(), 'ownership-'));
    await writeFiles(sandbox, {
      'tsconfig.json': JSON.stringify({ compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext' } }),
      'package.json': JSON.stringify({ type: 'module' }),
      'node_modules/pg/package.json': JSON.stringify({ name: 'pg', main: 'index.js' }),
      'node_modules/pg/index.js': 'export default {};\n',
      'services/orders/src/storage/order-repository.ts': 'export const orders = 1;\n',
      'services/cart/src/api/cart-service.ts': "import { orders } from '../../../orders/src/storage/order-repository.js';\nexport const cart = orders;\n",
      'services/cart/src/domain/cart.ts': "import { cart } from '../api/cart-service.js';\nexport const line = cart;\n",
      'services/search/src/storage/sneaky.ts': "import pg from 'pg';\nexport const client = pg;\n",
      'services/users/src/storage/user-repository.ts': "import pg from 'pg';\nexport const client = pg;\n",
    });
  });
  afterAll(() => rm(sandbox, { recursive: true, force: true }));

  it('hold for every service as it is', async () => {
    expect(await violationsIn(root, ['services', 'packages', 'gen'])).toEqual([]);
  });

  it('fail on a service importing another service, a foreign store driver, or api code from its domain', async () => {
    const found = (await violationsIn(sandbox, ['services'])).map(({ rule, from }) => `${rule.name}: ${from}`).sort();
    expect(found).toEqual([
      'domain-is-plain: services/cart/src/domain/cart.ts',
      'no-cross-service-imports: services/cart/src/api/cart-service.ts',
      'pg-only-in-orders-and-users: services/search/src/storage/sneaky.ts',
    ]);
  });

  it('give each store driver only to the services that own that store', async () => {
    const services = await readdir(join(root, 'services'));
    for (const service of services) {
      const manifest = JSON.parse(await readFile(resolve(root, 'services', service, 'package.json'), 'utf8')) as Record<string, Record<string, string> | undefined>;
      const dependencies = Object.keys({ ...manifest.dependencies, ...manifest.devDependencies });
      for (const [driver, owners] of Object.entries(driverOwners)) {
        expect({ service, driver, declared: dependencies.includes(driver) && !owners.includes(service) }).toEqual({ service, driver, declared: false });
      }
    }
  });
});
