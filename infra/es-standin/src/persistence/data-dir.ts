import { mkdir, readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { DocumentStoreSnapshot } from '../store/document-store.js';
import type { EsIndex, IndexMetadata } from '../store/es-index.js';
import { CoalescingFileWriter } from './atomic-file.js';

/** The persisted cluster state: every index's metadata (aliases included). */
export interface ClusterStateFile {
  indices: IndexMetadata[];
}

/** One index as loaded from disk. */
export interface LoadedIndex {
  metadata: IndexMetadata;
  documents: DocumentStoreSnapshot | undefined;
}

/**
 * The data folder: `cluster-state.json` holds all index metadata (so alias swaps are one atomic write),
 * `documents/<uuid>.json` holds each index's documents, each rewritten atomically before a write is acknowledged.
 */
export class DataDir {
  private readonly documentWriters = new Map<string, CoalescingFileWriter>();
  private readonly clusterWriter: CoalescingFileWriter;

  constructor(
    private readonly root: string,
    renderClusterState: () => ClusterStateFile,
  ) {
    this.clusterWriter = new CoalescingFileWriter(join(root, 'cluster-state.json'), () => JSON.stringify(renderClusterState()));
  }

  private documentsPath(uuid: string): string {
    return join(this.root, 'documents', `${uuid}.json`);
  }

  /** Creates the folders and reads every persisted index; removes document files no index refers to. */
  async load(): Promise<LoadedIndex[]> {
    await mkdir(join(this.root, 'documents'), { recursive: true });
    const state = await readJson<ClusterStateFile>(join(this.root, 'cluster-state.json'));
    const indices = state?.indices ?? [];
    const loaded = await Promise.all(
      indices.map(async (metadata) => ({ metadata, documents: await readJson<DocumentStoreSnapshot>(this.documentsPath(metadata.uuid)) })),
    );
    await this.removeOrphans(new Set(indices.map((metadata) => `${metadata.uuid}.json`)));
    return loaded;
  }

  private async removeOrphans(known: Set<string>): Promise<void> {
    const files = await readdir(join(this.root, 'documents'));
    await Promise.all(files.filter((file) => !known.has(file)).map((file) => rm(join(this.root, 'documents', file), { force: true })));
  }

  /** Persists the cluster state (index metadata and aliases). */
  saveClusterState(): Promise<void> {
    return this.clusterWriter.save();
  }

  /** Persists one index's documents. */
  saveDocuments(index: EsIndex): Promise<void> {
    return this.writerFor(index).save();
  }

  /** Removes a deleted index's documents file. */
  async dropDocuments(index: EsIndex): Promise<void> {
    const writer = this.writerFor(index);
    this.documentWriters.delete(index.uuid);
    await writer.discard();
  }

  private writerFor(index: EsIndex): CoalescingFileWriter {
    let writer = this.documentWriters.get(index.uuid);
    if (!writer) {
      writer = new CoalescingFileWriter(this.documentsPath(index.uuid), () => JSON.stringify(index.documents.snapshot()));
      this.documentWriters.set(index.uuid, writer);
    }
    return writer;
  }
}

async function readJson<T>(path: string): Promise<T | undefined> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as T;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}
