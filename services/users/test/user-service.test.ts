import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { create } from '@bufbuild/protobuf';
import { FieldMaskSchema } from '@bufbuild/protobuf/wkt';
import { Code } from '@connectrpc/connect';
import { expectConnectError, uniqueName } from '@shop/testkit';
import { startService, testEnvironment, userClient, type TestEnvironment } from './harness.js';
import type { RunningUsers } from '../src/main.js';

const fieldOf = async (call: Promise<unknown>, code: Code) => (await expectConnectError(call, code)).metadata.get('field');

const mask = (...paths: string[]) => create(FieldMaskSchema, { paths });

describe('the users service over gRPC', () => {
  let env: TestEnvironment;
  let service: RunningUsers;
  let client: ReturnType<typeof userClient>;
  const email = () => `${uniqueName('user')}@example.com`;

  beforeAll(async () => {
    env = await testEnvironment();
    service = await startService(env.config);
    client = userClient(service.address);
  });
  afterAll(async () => {
    await service?.shutdown();
    await env?.database.drop();
  });

  it('creates a user with a normalized email, version 1 and the given address', async () => {
    const raw = `  ${email().toUpperCase()} `;
    const { user } = await client.createUser({ email: raw, displayName: ' Ada Lovelace ', address: { line1: '12 Analytical St', line2: '', line3: 'UK' } });
    expect(user).toMatchObject({ email: raw.trim().toLowerCase(), displayName: 'Ada Lovelace', version: 1n, address: { line1: '12 Analytical St', line3: 'UK' } });
    expect(user?.id).toMatch(/^[0-9a-f-]{36}$/);
    const { user: read } = await client.getUser({ id: user!.id });
    expect(read).toEqual(user);
  });

  it('rejects a second user with the same email in another case as ALREADY_EXISTS naming email', async () => {
    const address = email();
    await client.createUser({ email: address, displayName: 'First' });
    expect(await fieldOf(client.createUser({ email: address.toUpperCase(), displayName: 'Second' }), Code.AlreadyExists)).toBe('email');
  });

  it('rejects a bad email or display name as INVALID_ARGUMENT naming the field', async () => {
    expect(await fieldOf(client.createUser({ email: 'not-an-email', displayName: 'X' }), Code.InvalidArgument)).toBe('email');
    expect(await fieldOf(client.createUser({ email: email(), displayName: '   ' }), Code.InvalidArgument)).toBe('display_name');
    expect(await fieldOf(client.createUser({ email: email(), displayName: 'x'.repeat(101) }), Code.InvalidArgument)).toBe('display_name');
  });

  it('answers GetUser with INVALID_ARGUMENT naming id for a malformed id and NOT_FOUND for an unknown one', async () => {
    expect(await fieldOf(client.getUser({ id: 'nope' }), Code.InvalidArgument)).toBe('id');
    await expectConnectError(client.getUser({ id: randomUUID() }), Code.NotFound);
  });

  it('returns a batch in request order and lists the unknown ids', async () => {
    const a = (await client.createUser({ email: email(), displayName: 'A' })).user!;
    const b = (await client.createUser({ email: email(), displayName: 'B' })).user!;
    const unknown = randomUUID();
    const response = await client.batchGetUsers({ ids: [b.id, unknown, a.id] });
    expect(response.users.map((user) => user.id)).toEqual([b.id, a.id]);
    expect(response.missingIds).toEqual([unknown]);
  });

  it('rejects a batch of more than 1000 ids or a malformed id as INVALID_ARGUMENT naming ids', async () => {
    const tooMany = Array.from({ length: 1001 }, () => randomUUID());
    expect(await fieldOf(client.batchGetUsers({ ids: tooMany }), Code.InvalidArgument)).toBe('ids');
    expect(await fieldOf(client.batchGetUsers({ ids: [randomUUID(), 'bad'] }), Code.InvalidArgument)).toBe('ids[1]');
  });

  it('updates only the masked fields and raises the version', async () => {
    const created = (await client.createUser({ email: email(), displayName: 'Old', address: { line1: 'Old street' } })).user!;
    const { user } = await client.updateUser({ user: { id: created.id, displayName: 'New', address: { line1: 'Ignored' } }, updateMask: mask('display_name') });
    expect(user).toMatchObject({ displayName: 'New', version: 2n, address: { line1: 'Old street' }, email: created.email });
    const moved = await client.updateUser({ user: { id: created.id, address: { line1: 'New street', line2: '1000 City' } }, updateMask: mask('address') });
    expect(moved.user).toMatchObject({ displayName: 'New', version: 3n, address: { line1: 'New street', line2: '1000 City', line3: '' } });
  });

  it('keeps the version when an update changes nothing', async () => {
    const created = (await client.createUser({ email: email(), displayName: 'Same' })).user!;
    const { user } = await client.updateUser({ user: { id: created.id, displayName: 'Same' }, updateMask: mask('display_name') });
    expect(user?.version).toBe(1n);
  });

  it('rejects an update with an unknown or empty mask, a bad value or an unknown user', async () => {
    const created = (await client.createUser({ email: email(), displayName: 'Masked' })).user!;
    expect(await fieldOf(client.updateUser({ user: { id: created.id, email: 'x@y.z' }, updateMask: mask('email') }), Code.InvalidArgument)).toBe('update_mask');
    expect(await fieldOf(client.updateUser({ user: { id: created.id } }), Code.InvalidArgument)).toBe('update_mask');
    expect(await fieldOf(client.updateUser({ user: { id: created.id, displayName: '' }, updateMask: mask('display_name') }), Code.InvalidArgument)).toBe('display_name');
    expect(await fieldOf(client.updateUser({ user: { id: 'bad', displayName: 'X' }, updateMask: mask('display_name') }), Code.InvalidArgument)).toBe('user.id');
    await expectConnectError(client.updateUser({ user: { id: randomUUID(), displayName: 'X' }, updateMask: mask('display_name') }), Code.NotFound);
    expect((await client.getUser({ id: created.id })).user).toMatchObject({ displayName: 'Masked', version: 1n });
  });

  it('lists every user exactly once across pages, ordered by id', async () => {
    await Promise.all(Array.from({ length: 7 }, (_, i) => client.createUser({ email: email(), displayName: `Page ${i}` })));
    const seen: string[] = [];
    let pageToken = '';
    do {
      const page = await client.listUsers({ pageSize: 3, pageToken });
      expect(page.users.length).toBeLessThanOrEqual(3);
      seen.push(...page.users.map((user) => user.id));
      pageToken = page.nextPageToken;
    } while (pageToken);
    const all = await client.listUsers({ pageSize: 100 });
    expect(all.nextPageToken).toBe('');
    expect(seen).toEqual(all.users.map((user) => user.id));
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen).toEqual([...seen].sort());
  });

  it('rejects a bad page size or page token as INVALID_ARGUMENT naming the field', async () => {
    expect(await fieldOf(client.listUsers({ pageSize: 101 }), Code.InvalidArgument)).toBe('page_size');
    expect(await fieldOf(client.listUsers({ pageToken: 'garbage' }), Code.InvalidArgument)).toBe('page_token');
  });
});
