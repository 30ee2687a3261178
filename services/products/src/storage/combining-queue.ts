import { callersContext } from '@shop/runtime';

interface Waiting<I, O> {
  readonly input: I;
  readonly resolve: (output: O) => void;
  readonly reject: (error: unknown) => void;
  /** Runs a function in the async context (trace, call deadline) of the caller that submitted this input. */
  readonly inCallersContext: <R>(fn: () => R) => R;
}

/**
 * Combines concurrent requests into batches handled one at a time: while a batch runs, new requests wait and then go
 * together (up to maxBatch) into the next. `run` settles each input of a batch in order; its throwing fails the whole batch.
 * Each batch runs in the async context of its first input's caller (its trace, its call's deadline), not in that of
 * whichever caller started the queue draining.
 */
export class CombiningQueue<I, O> {
  private waiting: Array<Waiting<I, O>> = [];
  private running = false;

  constructor(
    private readonly run: (inputs: readonly I[]) => Promise<ReadonlyArray<PromiseSettledResult<O>>>,
    private readonly maxBatch: number,
  ) {}

  /** Queues one request and resolves with its answer once its batch ran. */
  submit(input: I): Promise<O> {
    return this.submitAll([input])[0]!;
  }

  /**
   * Queues several requests of one caller together, so that they share a batch (up to maxBatch) rather than the first
   * going out alone; one promise per input, each settling with its own answer.
   */
  submitAll(inputs: readonly I[]): Array<Promise<O>> {
    const inCallersContext = callersContext();
    const answers = inputs.map((input) => new Promise<O>((resolve, reject) => this.waiting.push({ input, resolve, reject, inCallersContext })));
    if (!this.running) void this.drain();
    return answers;
  }

  private async drain(): Promise<void> {
    this.running = true;
    try {
      while (this.waiting.length > 0) {
        const batch = this.waiting.slice(0, this.maxBatch);
        this.waiting = this.waiting.slice(batch.length);
        await this.runBatch(batch);
      }
    } finally {
      this.running = false;
    }
  }

  private async runBatch(batch: ReadonlyArray<Waiting<I, O>>): Promise<void> {
    try {
      const outputs = await batch[0]!.inCallersContext(() => this.run(batch.map((entry) => entry.input)));
      batch.forEach((entry, index) => {
        const output = outputs[index]!;
        if (output.status === 'fulfilled') entry.resolve(output.value);
        else entry.reject(output.reason);
      });
    } catch (error) {
      for (const entry of batch) entry.reject(error);
    }
  }
}
