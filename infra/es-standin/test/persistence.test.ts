import { appendFile, mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { DocumentFiles, readStoredDocuments } from '../src/persistence/document-files.js';
import type { DocumentStoreSnapshot } from '../src/store/document-store.js';

describe('document files (snapshot + journal)', () => {
  let folder: string;
  beforeEach(async () => {
    folder = await mkdtemp(join(tmpdir(), 'es-standin-files-'));
  });
  afterEach(async () => {
    await rm(folder, { recursive: true, force: true });
  });

  const emptySnapshot = (): DocumentStoreSnapshot => ({ nextSeqNo: 0, documents: [], tombstones: [] });

  it('reads back journal entries in the order they were appended', async () => {
    const base = join(folder, 'index');
    const files = new DocumentFiles(base, emptySnapshot);
    await files.append([['put', 'a', { n: 1 }, 1, 0, 1]]);
    await files.append([['delete', 'a', 2, 1, 1]]);
    await files.close();
    const stored = await readStoredDocuments(base);
    expect(stored.snapshot).toBeUndefined();
    expect(stored.journal).toEqual([
      ['put', 'a', { n: 1 }, 1, 0, 1],
      ['delete', 'a', 2, 1, 1],
    ]);
  });

  it('ignores a torn last journal line left by a crash mid-write', async () => {
    const base = join(folder, 'index');
    const files = new DocumentFiles(base, emptySnapshot);
    await files.append([['put', 'a', { n: 1 }, 1, 0, 1]]);
    await files.close();
    await appendFile(`${base}.journal`, '["put","b",{"n"');
    expect((await readStoredDocuments(base)).journal).toEqual([['put', 'a', { n: 1 }, 1, 0, 1]]);
  });

  it('folds the journal into a snapshot once it outgrows it and empties the journal', async () => {
    const base = join(folder, 'index');
    const snapshot: DocumentStoreSnapshot = { nextSeqNo: 1, documents: [['a', { n: 1 }, 1, 0, 1]], tombstones: [] };
    const files = new DocumentFiles(base, () => snapshot, { snapshotBytes: 0, journalBytes: 0 }, 0);
    await files.append([['put', 'a', { n: 1 }, 1, 0, 1]]);
    await files.close();
    expect(JSON.parse(await readFile(`${base}.json`, 'utf8'))).toEqual(snapshot);
    expect((await stat(`${base}.journal`)).size).toBe(0);
  });
});
