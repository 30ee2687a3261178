import { createServer, connect, type Server, type Socket } from 'node:net';

/** A TCP proxy in front of a store, so a test can cut the store off from the service and bring it back. */
export interface TcpProxy {
  readonly port: number;
  /** How many connections it has accepted so far. */
  connections(): number;
  /** Refuses new connections and drops the open ones. */
  cut(): Promise<void>;
  /** Accepts connections again on the same port. */
  restore(): Promise<void>;
  close(): Promise<void>;
}

/** Starts a proxy on a free local port forwarding to host:port. */
export async function startTcpProxy(host: string, port: number): Promise<TcpProxy> {
  const sockets = new Set<Socket>();
  let server: Server | undefined;
  let accepted = 0;
  const listen = (onPort: number) =>
    new Promise<number>((resolve, reject) => {
      server = createServer((client) => {
        accepted += 1;
        const upstream = connect(port, host);
        for (const socket of [client, upstream]) {
          sockets.add(socket);
          socket.on('close', () => sockets.delete(socket));
          socket.on('error', () => undefined);
        }
        client.pipe(upstream).pipe(client);
      })
        .once('error', reject)
        .listen(onPort, '127.0.0.1', () => resolve((server!.address() as { port: number }).port));
    });
  const proxyPort = await listen(0);
  const cut = async () => {
    const closing = new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    for (const socket of sockets) socket.destroy();
    await closing;
    server = undefined;
  };
  return {
    port: proxyPort,
    connections: () => accepted,
    cut,
    restore: async () => void (await listen(proxyPort)),
    close: cut,
  };
}
