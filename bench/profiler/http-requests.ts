/**
 * The HTTP requests this process's servers answer, counted by server and operation: the calls
 * that cross a socket between components (a function's SDK call to the edge, the edge's call to a
 * store). Read from Node's diagnostics channel, so nothing in the local cloud is changed to count.
 */
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import type { IncomingMessage } from 'node:http';

const CHANNEL = 'http.server.request.start';

export interface RequestCount {
  readonly server: string;
  readonly operation: string;
  readonly caller: string;
  readonly count: number;
}

/**
 * Counts requests until `stop`; `serverOf` names a server by the port a request came to, and
 * `callerOf` the caller by its user agent (a function's SDK names it there).
 */
export function countRequests(serverOf: (port: number) => string, callerOf: (userAgent: string) => string): { stop(): RequestCount[] } {
  const counts = new Map<string, number>();
  const listener = (message: unknown) => {
    const request = (message as { request: IncomingMessage }).request;
    const target = request.headers['x-amz-target'];
    const operation = typeof target === 'string' ? target : `${request.method} ${(request.url ?? '').split('?')[0]?.replace(/\/[^/]*\d[^/]*/g, '/…')}`;
    const key = `${serverOf(request.socket.localPort ?? 0)}\u0000${operation}\u0000${callerOf(request.headers['user-agent'] ?? '')}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  };
  subscribe(CHANNEL, listener);
  return {
    stop() {
      unsubscribe(CHANNEL, listener);
      return [...counts]
        .map(([key, count]) => {
          const [server = '', operation = '', caller = ''] = key.split('\u0000');
          return { server, operation, caller, count };
        })
        .sort((a, b) => b.count - a.count);
    },
  };
}
