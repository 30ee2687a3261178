import type { LogLine, ProcessEvent, ProcessState, Supervision } from '@shop/local-stack';

/** The last known state of one supervised process, as the endpoints file lists it. */
export interface ProcessStatus {
  readonly name: string;
  readonly state: ProcessState;
  readonly pid?: number;
  readonly restarts: number;
  readonly logFile: string;
  readonly since: string;
}

/**
 * Collects the state of every supervised store and service: prints each restart line, and tells a listener
 * (the endpoints file writer) about every change once one is attached.
 */
export class StatusBoard implements Supervision {
  private readonly states = new Map<string, ProcessStatus>();
  private listener: ((statuses: ProcessStatus[]) => void) | undefined;

  constructor(private readonly log: LogLine) {}

  /** Records a process's new state and prints its line, if it has one. */
  readonly report = (event: ProcessEvent): void => {
    const { message, ...status } = event;
    this.states.set(event.name, { ...status, since: new Date().toISOString() });
    if (message) this.log(message);
    this.listener?.(this.statuses());
  };

  /** The same board, with the process reported under another name (the users cluster beside the users service). */
  renamed(name: string): Supervision {
    return { report: (event) => this.report({ ...event, name, ...(event.message ? { message: event.message.replace(event.name, name) } : {}) }) };
  }

  /** Every process's state, in the order they first reported. */
  statuses(): ProcessStatus[] {
    return [...this.states.values()];
  }

  /** Calls the listener on every later change. */
  onChange(listener: (statuses: ProcessStatus[]) => void): void {
    this.listener = listener;
  }
}
