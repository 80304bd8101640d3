/**
 * The ports the local cloud is asked to listen on. One that it cannot have — in use by another
 * program, or not allowed — is a PortUnavailableError naming the port and what was to listen on
 * it, so that whoever started the cloud can say which setting to change.
 */
import { createServer } from 'node:http';
import { listen } from './edge/edge-server.ts';

/** What was to listen on the port, as the message names it: the endpoint, the SES inbox, or a piece run beside the cloud. */
export type PortUser = string;

export class PortUnavailableError extends Error {
  override readonly name = 'PortUnavailableError';

  constructor(
    readonly port: number,
    readonly user: PortUser,
    /** The system's error code: EADDRINUSE, EACCES, … */
    readonly code: string,
  ) {
    super(`port ${port} ${code === 'EADDRINUSE' ? 'is in use' : `cannot be listened on (${code})`}: the local cloud's ${user} could not start on it`);
  }
}

/** The error a failed listen gave, as a PortUnavailableError when it is about the port. */
export function portError(error: unknown, port: number, user: PortUser): unknown {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return code === 'EADDRINUSE' || code === 'EACCES' || code === 'EADDRNOTAVAIL' ? new PortUnavailableError(port, user, code) : error;
}

/**
 * Finds out at once whether a port can be listened on, by listening and letting go. For a start
 * that has slow work to do first, and for servers that do not report why they could not listen.
 *
 * @throws PortUnavailableError when it cannot
 */
export async function ensurePortFree(port: number, user: PortUser, host = '127.0.0.1'): Promise<void> {
  if (port === 0) return;
  const probe = createServer();
  await listen(probe, port, host).catch((error: unknown) => {
    throw portError(error, port, user);
  });
  await new Promise((resolve) => probe.close(resolve));
}
