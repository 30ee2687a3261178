import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import type { Document } from 'bson';
import { decodeRequest, encodeReply, type CommandRequest } from './protocol/codec.js';
import { MessageSplitter, type RawMessage } from './protocol/framing.js';
import type { Dispatcher } from './dispatcher.js';
import type { SlowOperationLog } from './slow-operations.js';

/** Logs one line. */
export type Logger = (line: string) => void;

/** Accepts connections and answers each connection's messages one at a time, in order. */
export class WireServer {
  private readonly server: Server;
  private readonly sockets = new Set<Socket>();
  private nextConnectionId = 1;
  private nextRequestId = 1;

  constructor(
    private readonly dispatcher: Dispatcher,
    private readonly log: Logger,
    private readonly operations: SlowOperationLog,
  ) {
    this.server = createServer((socket) => this.accept(socket));
  }

  /** Starts listening; resolves with the bound port. */
  async listen(port: number, host: string): Promise<number> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => resolve());
    });
    return (this.server.address() as AddressInfo).port;
  }

  /** Stops accepting, drops open connections and resolves when the server is closed. */
  async close(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    for (const socket of this.sockets) socket.destroy();
    await closed;
  }

  private accept(socket: Socket): void {
    const connectionId = this.nextConnectionId++;
    const splitter = new MessageSplitter();
    let queue = Promise.resolve();
    this.sockets.add(socket);
    socket.setNoDelay(true);
    socket.on('close', () => {
      this.sockets.delete(socket);
      this.dispatcher.connectionClosed(connectionId);
    });
    socket.on('error', () => socket.destroy());
    socket.on('data', (chunk: Buffer) => {
      try {
        for (const message of splitter.push(chunk)) {
          queue = queue.then(() => this.answer(socket, connectionId, message)).catch((error: unknown) => this.reject(socket, connectionId, error));
        }
      } catch (error) {
        this.reject(socket, connectionId, error);
      }
    });
  }

  private async answer(socket: Socket, connectionId: number, message: RawMessage): Promise<void> {
    if (socket.destroyed) return;
    let request: CommandRequest;
    try {
      request = decodeRequest(message);
    } catch (error) {
      return this.reject(socket, connectionId, error);
    }
    const operation = this.operations.begin(Object.keys(request.command)[0] ?? '', request.database, connectionId);
    let reply: Document;
    try {
      reply = await this.dispatcher.run(request.database, request.command, connectionId, () => this.operations.executed(operation));
    } finally {
      this.operations.end(operation);
    }
    if (request.moreToCome || socket.destroyed) return;
    try {
      socket.write(encodeReply(request, this.nextRequestId++, reply));
    } catch (error) {
      this.reject(socket, connectionId, error);
    }
  }

  private reject(socket: Socket, connectionId: number, error: unknown): void {
    this.log(`connection ${connectionId}: closing after malformed message: ${(error as Error).message}`);
    socket.destroy();
  }
}
