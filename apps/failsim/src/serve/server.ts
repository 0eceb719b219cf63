// The HTTP server of `failsim serve`: node:http around the API handler, plain HTTP (no
// TLS, no auth — kubectl accepts an http:// server with an empty user), on 127.0.0.1
// unless an address is given explicitly. Closing ends every open watch stream.
import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { createApiHandler, type ApiHandlerOptions } from './api-handler.js';

/** Where to listen. */
export interface ListenOptions {
  /** 0 picks a free port. */
  readonly port: number;
  /** Default 127.0.0.1. */
  readonly address?: string;
}

/** A listening server. */
export interface ServeServer {
  /** `http://127.0.0.1:PORT` */
  readonly url: string;
  readonly port: number;
  /** Stops listening and closes every connection, open watches included. */
  close(): Promise<void>;
}

/** The loopback address serve binds unless told otherwise. */
export const DEFAULT_ADDRESS = '127.0.0.1';

const hostForUrl = (address: string): string => (address.includes(':') ? `[${address}]` : address);

/**
 * Starts the server; resolves once it listens (rejects on EADDRINUSE and the like).
 * @example const server = await startServer({ api: sim.api, clock: sim.clock, gitVersion: 'v1.12.4' }, { port: 0 });
 */
export const startServer = (options: Omit<ApiHandlerOptions, 'serverAddress'>, listen: ListenOptions): Promise<ServeServer> => {
  const address = listen.address ?? DEFAULT_ADDRESS;
  let port = listen.port;
  const sockets = new Set<Socket>();
  const server: Server = createServer(createApiHandler({ ...options, serverAddress: () => `${hostForUrl(address)}:${port}` }));
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(listen.port, address, () => {
      server.off('error', reject);
      port = (server.address() as AddressInfo).port;
      resolve({
        url: `http://${hostForUrl(address)}:${port}`,
        port,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            for (const socket of sockets) socket.destroy();
          }),
      });
    });
  });
};
