/** Something a service opened and must close: a store client, a bus connection, a relay, a consumer. */
export interface OpenResource {
  readonly name: string;
  close(): Promise<void> | void;
}

/** Warnings while closing: closing never throws, it reports. */
export type CloseWarning = (resource: string, error: unknown) => void;

/**
 * The resources a service start opened, closed in reverse order: at shutdown, or at once when the start fails
 * half-way, so that a failed start leaves nothing open.
 */
export class ResourceStack {
  private readonly resources: OpenResource[] = [];

  /** Registers an opened resource and returns the value, so a start reads as a list of `await stack.use(...)`. */
  use<T>(name: string, value: T, close: (value: T) => Promise<void> | void): T {
    this.resources.push({ name, close: () => close(value) });
    return value;
  }

  /** The registered resources, oldest first. */
  get entries(): readonly OpenResource[] {
    return this.resources;
  }

  /** Closes everything registered, newest first; a failing close is reported and the rest still close. */
  async closeAll(warn: CloseWarning = () => undefined): Promise<void> {
    for (const resource of this.resources.splice(0).reverse()) {
      try {
        await resource.close();
      } catch (error) {
        warn(resource.name, error);
      }
    }
  }

  /** Runs a start with this stack; when the start throws, closes what it had opened and rethrows. */
  async guard<T>(start: (stack: ResourceStack) => Promise<T>, warn?: CloseWarning): Promise<T> {
    try {
      return await start(this);
    } catch (error) {
      await this.closeAll(warn);
      throw error;
    }
  }
}
