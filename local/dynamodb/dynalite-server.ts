/**
 * The DynamoDB store (dynalite) as an HTTP server that stops without losing a request.
 *
 * dynalite closes its database as soon as its server has closed. A request it is still answering
 * may then be between two reads or writes (a conditional update reads, then writes): its next step
 * finds the database closed and throws where nothing catches it, which ends the process with a
 * stack trace — what Ctrl-C on `npm start` printed now and then. So the server stops taking
 * requests, lets the ones it took be answered, and only then drops its idle connections.
 */
import type { Server, ServerResponse } from 'node:http';
import dynalite from 'dynalite';

export interface DynaliteServer {
  readonly server: Server;
  /** Stops taking requests; resolves once those taken are answered and the database is closed. */
  close(): Promise<void>;
}

/** dynalite with tables ready at once, in memory, or on disk under `path` when given. */
export function createDynaliteServer(path?: string): DynaliteServer {
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0, ...(path && { path }) });
  let answering = 0;
  let closing = false;
  server.on('request', (_request, response: ServerResponse) => {
    answering++;
    response.once('close', () => {
      answering--;
      // Kept-alive connections would otherwise hold the close back until they time out.
      if (closing && answering === 0) server.closeAllConnections();
    });
  });
  return {
    server,
    close: () =>
      new Promise((resolve) => {
        closing = true;
        server.close(() => resolve());
        if (answering === 0) server.closeAllConnections();
        else server.closeIdleConnections();
      }),
  };
}
