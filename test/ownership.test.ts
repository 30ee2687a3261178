import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, readdir, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const root = process.cwd();
const depcruise = join(root, 'node_modules/.bin/depcruise');
const config = join(root, '.dependency-cruiser.cjs');
import { driverOwners } from '@shop/system-map';

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
      'node_modules/ioredis/package.json': JSON.stringify({ name: 'ioredis', main: 'index.js' }),
      'node_modules/ioredis/index.js': 'export const Redis = {};\n',
      'gen/package.json': JSON.stringify({ name: '@shop/gen', type: 'module', exports: { './*': './src/shop/*.ts' } }),
      'gen/src/shop/cart/v1/cart_pb.ts': 'export const CartSchema = {};\n',
      'packages/runtime/package.json': JSON.stringify({ name: '@shop/runtime', type: 'module', exports: { '.': './src/index.ts', './errors': './src/errors.ts' } }),
      'packages/runtime/src/errors.ts': 'export const invalidArgument = () => new Error();\n',
      'packages/runtime/src/index.ts': "export * from './errors.js';\nexport const startGrpcServer = () => undefined;\n",
      'services/orders/src/storage/order-repository.ts': 'export const orders = 1;\n',
      'services/cart/src/api/cart-service.ts': "import { orders } from '../../../orders/src/storage/order-repository.js';\nexport const cart = orders;\n",
      'services/cart/src/api/peek.ts': "import { store } from '../storage/cart-store.js';\nexport const peek = store;\n",
      'services/cart/src/storage/cart-store.ts': "import { cart } from '../api/cart-service.js';\nexport const store = cart;\n",
      'services/cart/src/events/inbound/order-placed.ts': "import { store } from '../../storage/cart-store.js';\nexport const handle = store;\n",
      'services/cart/src/peers/products.ts': 'export const products = 1;\n',
      'services/cart/src/domain/cart.ts': "import { cart } from '../api/cart-service.js';\nexport const line = cart;\n",
      'services/cart/src/domain/catalog.ts': "import { products } from '../peers/products.js';\nexport const catalog = products;\n",
      'services/cart/src/domain/cart-message.ts': "import { CartSchema } from '@shop/gen/cart/v1/cart_pb';\nexport const schema = CartSchema;\n",
      'services/cart/src/domain/cart-cache.ts': "import { Redis } from 'ioredis';\nexport const cache = Redis;\n",
      'services/cart/src/domain/limits.ts': "import { startGrpcServer } from '@shop/runtime';\nexport const limits = startGrpcServer;\n",
      'services/cart/src/domain/validation.ts': "import { invalidArgument } from '@shop/runtime/errors';\nexport const check = invalidArgument;\n",
      'services/search/src/storage/sneaky.ts': "import pg from 'pg';\nexport const client = pg;\n",
      'services/users/src/storage/user-repository.ts': "import pg from 'pg';\nexport const client = pg;\n",
    });
    await mkdir(join(sandbox, 'node_modules/@shop'), { recursive: true });
    await symlink('../../gen', join(sandbox, 'node_modules/@shop/gen'));
    await symlink('../../packages/runtime', join(sandbox, 'node_modules/@shop/runtime'));
  });
  afterAll(() => rm(sandbox, { recursive: true, force: true }));

  it('hold for every service as it is', async () => {
    expect(await violationsIn(root, ['services', 'packages', 'gen'])).toEqual([]);
  });

  it('fail on each deliberate violation in a fixture tree, and only on those', async () => {
    const pgRule = `pg-only-in-${driverOwners().find(({ driver }) => driver === 'pg')!.owners.join('-and-')}`;
    const found = (await violationsIn(sandbox, ['services'])).map(({ rule, from }) => `${rule.name}: ${from}`).sort();
    expect(found).toEqual(
      [
        'api-not-storage: services/cart/src/api/peek.ts',
        'domain-errors-only-from-runtime: services/cart/src/domain/limits.ts',
        'domain-is-plain: services/cart/src/domain/cart.ts',
        'domain-is-plain: services/cart/src/domain/catalog.ts',
        'domain-without-contracts: services/cart/src/domain/cart-message.ts',
        'domain-without-drivers: services/cart/src/domain/cart-cache.ts',
        'inbound-events-through-domain: services/cart/src/events/inbound/order-placed.ts',
        'no-cross-service-imports: services/cart/src/api/cart-service.ts',
        `${pgRule}: services/search/src/storage/sneaky.ts`,
        'storage-not-api: services/cart/src/storage/cart-store.ts',
      ].sort(),
    );
  });

  it('give each store driver only to the services that own that store', async () => {
    const services = await readdir(join(root, 'services'));
    for (const service of services) {
      const manifest = JSON.parse(await readFile(resolve(root, 'services', service, 'package.json'), 'utf8')) as Record<string, Record<string, string> | undefined>;
      const dependencies = Object.keys({ ...manifest.dependencies, ...manifest.devDependencies });
      for (const { driver, owners } of driverOwners()) {
        expect({ service, driver, declared: dependencies.includes(driver) && !(owners as string[]).includes(service) }).toEqual({ service, driver, declared: false });
      }
    }
  });
});
