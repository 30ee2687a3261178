import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const buf = join(process.cwd(), 'node_modules/.bin/buf');
const productFile = 'proto/shop/product/v1/product.proto';

/** Runs buf breaking of a changed copy of the contracts against the original; resolves with buf's exit code and output. */
async function breakingCheck(base: string, change: (source: string) => string): Promise<{ code: number; output: string }> {
  const changed = await mkdtemp(join(tmpdir(), 'contracts-changed-'));
  try {
    await cp(base, changed, { recursive: true });
    const file = join(changed, productFile);
    await writeFile(file, change(await readFile(file, 'utf8')));
    await run(buf, ['breaking', changed, '--against', base]);
    return { code: 0, output: '' };
  } catch (error) {
    const failure = error as { code?: number; stdout?: string; stderr?: string };
    return { code: failure.code ?? 1, output: `${failure.stdout ?? ''}${failure.stderr ?? ''}` };
  } finally {
    await rm(changed, { recursive: true, force: true });
  }
}

describe('the contract-breaking check', () => {
  let base: string;

  beforeAll(async () => {
    base = await mkdtemp(join(tmpdir(), 'contracts-base-'));
    await cp('proto', join(base, 'proto'), { recursive: true });
    await cp('buf.yaml', join(base, 'buf.yaml'));
  });
  afterAll(() => rm(base, { recursive: true, force: true }));

  it('fails when a published field is removed', async () => {
    const result = await breakingCheck(base, (source) => source.replace(/\n\s*\/\/ Free-text description\.\n\s*string description = 4;/, '\n'));
    expect(result.code).not.toBe(0);
    expect(result.output).toMatch(/Previously present field "4" with name "description" on message "Product" was deleted/);
  });

  it('fails when a published field is renumbered', async () => {
    const result = await breakingCheck(base, (source) => source.replace('string description = 4;', 'string description = 40;'));
    expect(result.code).not.toBe(0);
    expect(result.output).toContain('description');
  });

  it('passes when a field is added', async () => {
    const result = await breakingCheck(base, (source) =>
      source.replace('google.protobuf.Timestamp update_time = 10;\n}', 'google.protobuf.Timestamp update_time = 10;\n  // Brand name.\n  string brand = 11;\n}'),
    );
    expect(result).toEqual({ code: 0, output: '' });
  });

  it('buf lint accepts the contracts as they are', async () => {
    await expect(run(buf, ['lint'])).resolves.toBeDefined();
  });
});
