/**
 * SES v2 in the local cloud: aws-ses-v2-local, bound to loopback only (its default is every
 * interface). Its page at `/` is an inbox of every email sent; `/store` is the same as JSON.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import sesLocal from 'aws-ses-v2-local';
import { PortUnavailableError, ensurePortFree } from '../ports.ts';

type StartServer = (config: { host: string; port: number }) => Promise<Server>;

const HOST = '127.0.0.1';

/** @throws PortUnavailableError when the port is in use or not allowed */
export async function startSesServer(port: number): Promise<{ server: Server; port: number; endpoint: string }> {
  // aws-ses-v2-local resolves with a server that is not listening when the port is taken, and
  // keeps the error to itself: a probe on the same port first finds out why, at once.
  await ensurePortFree(port, 'SES inbox', HOST);
  // CommonJS under ESM: the function is the default export's default.
  const module = sesLocal as unknown as { default?: StartServer };
  const start = module.default ?? (sesLocal as unknown as StartServer);
  const server = await start({ host: HOST, port });
  const address = server.address() as AddressInfo | null;
  // Taken between the probe and the start.
  if (!address) throw new PortUnavailableError(port, 'SES inbox', 'EADDRINUSE');
  return { server, port: address.port, endpoint: `http://${HOST}:${address.port}` };
}
