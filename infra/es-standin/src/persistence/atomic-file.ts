import { open, rename, rm } from 'node:fs/promises';

let temporaryCounter = 0;

/** Writes a file by writing and syncing a temporary sibling, then renaming it over the target. */
export async function writeFileAtomically(path: string, contents: string): Promise<void> {
  const temporary = `${path}.${process.pid}.${temporaryCounter++}.tmp`;
  const handle = await open(temporary, 'w');
  try {
    await handle.writeFile(contents);
    await handle.datasync();
  } finally {
    await handle.close();
  }
  await rename(temporary, path);
}

/**
 * Keeps one file in step with in-memory state: each save renders the state when the write starts,
 * so saves requested while a write runs share the next write.
 */
export class CoalescingFileWriter {
  private tail: Promise<void> = Promise.resolve();
  private pending: Promise<void> | undefined;
  private discarded = false;

  constructor(
    private readonly path: string,
    private readonly render: () => string,
  ) {}

  /** Resolves once a write that started after this call has reached the disk. */
  save(): Promise<void> {
    if (this.pending) return this.pending;
    const write = this.tail
      .catch(() => undefined)
      .then(() => {
        this.pending = undefined;
        return this.discarded ? undefined : writeFileAtomically(this.path, this.render());
      });
    this.pending = write;
    this.tail = write;
    return write;
  }

  /** Stops saving and removes the file once any running write has finished. */
  async discard(): Promise<void> {
    this.discarded = true;
    await this.tail.catch(() => undefined);
    await rm(this.path, { force: true });
  }
}
