import { mkdir, readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { EsIndex, IndexMetadata } from '../store/es-index.js';
import { CoalescingFileWriter } from './atomic-file.js';
import { DocumentFiles, readStoredDocuments, type FileSizes, type StoredDocuments } from './document-files.js';

/** The persisted cluster state: every index's metadata (aliases included). */
export interface ClusterStateFile {
  indices: IndexMetadata[];
}

/** One index as loaded from disk. */
export interface LoadedIndex {
  metadata: IndexMetadata;
  documents: StoredDocuments;
}

/**
 * The data folder: `cluster-state.json` holds all index metadata (so alias swaps are one atomic write);
 * `documents/<uuid>.json` and `documents/<uuid>.journal` hold each index's documents. Every change is on disk
 * before the request that made it is answered.
 */
export class DataDir {
  private readonly documentFiles = new Map<string, DocumentFiles>();
  private readonly loadedSizes = new Map<string, FileSizes>();
  private readonly clusterWriter: CoalescingFileWriter;

  constructor(
    private readonly root: string,
    renderClusterState: () => ClusterStateFile,
  ) {
    this.clusterWriter = new CoalescingFileWriter(join(root, 'cluster-state.json'), () => JSON.stringify(renderClusterState()));
  }

  private documentsBase(uuid: string): string {
    return join(this.root, 'documents', uuid);
  }

  /** Creates the folders and reads every persisted index; removes document files no index refers to. */
  async load(): Promise<LoadedIndex[]> {
    await mkdir(join(this.root, 'documents'), { recursive: true });
    const state = await readClusterState(join(this.root, 'cluster-state.json'));
    const loaded = await Promise.all(
      state.indices.map(async (metadata) => {
        const documents = await readStoredDocuments(this.documentsBase(metadata.uuid));
        this.loadedSizes.set(metadata.uuid, documents.sizes);
        return { metadata, documents };
      }),
    );
    await this.removeOrphans(new Set(state.indices.map((metadata) => metadata.uuid)));
    return loaded;
  }

  private async removeOrphans(knownUuids: Set<string>): Promise<void> {
    const folder = join(this.root, 'documents');
    const files = await readdir(folder);
    const orphans = files.filter((file) => !knownUuids.has(file.replace(/\..*$/, '')));
    await Promise.all(orphans.map((file) => rm(join(folder, file), { force: true })));
  }

  /** Persists the cluster state (index metadata and aliases). */
  saveClusterState(): Promise<void> {
    return this.clusterWriter.save();
  }

  /** Appends an index's latest document writes to its journal. */
  saveDocuments(index: EsIndex): Promise<void> {
    return this.filesFor(index).append(index.documents.drainChanges());
  }

  /** Removes a deleted index's document files. */
  async dropDocuments(index: EsIndex): Promise<void> {
    const files = this.filesFor(index);
    this.documentFiles.delete(index.uuid);
    await files.discard();
  }

  /** Finishes running writes and closes open files. */
  async close(): Promise<void> {
    await Promise.all([...this.documentFiles.values()].map((files) => files.close()));
    await this.clusterWriter.save();
  }

  private filesFor(index: EsIndex): DocumentFiles {
    let files = this.documentFiles.get(index.uuid);
    if (!files) {
      files = new DocumentFiles(this.documentsBase(index.uuid), () => index.documents.snapshot(), this.loadedSizes.get(index.uuid));
      this.documentFiles.set(index.uuid, files);
    }
    return files;
  }
}

async function readClusterState(path: string): Promise<ClusterStateFile> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as ClusterStateFile;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { indices: [] };
    throw error;
  }
}
