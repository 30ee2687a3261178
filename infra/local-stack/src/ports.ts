import { createConnection, createServer } from 'node:net';

/** Host every local store binds to. */
export const LOOPBACK = '127.0.0.1';

/** Listens briefly on the port to learn whether it is taken; resolves to the port actually bound. */
function probeListen(port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen({ port, host: LOOPBACK, exclusive: true }, () => {
      const address = server.address();
      const bound = typeof address === 'object' && address ? address.port : port;
      server.close(() => resolve(bound));
    });
  });
}

/** Returns the requested port when it is free, a free ephemeral port for 0, and throws naming the store when it is taken. */
export async function claimPort(port: number, store: string): Promise<number> {
  try {
    return await probeListen(port);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      throw new Error(`${store}: port ${port} on ${LOOPBACK} is already in use (stop whatever listens there or choose another port)`);
    }
    throw error;
  }
}

/** Resolves true when something accepts TCP connections on the loopback port. */
export function acceptsConnections(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ port, host: LOOPBACK });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
