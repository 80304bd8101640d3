/**
 * SES v2 in the local cloud: aws-ses-v2-local, bound to loopback only (its default is every
 * interface). Its page at `/` is an inbox of every email sent; `/store` is the same as JSON.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import sesLocal from 'aws-ses-v2-local';

type StartServer = (config: { host: string; port: number }) => Promise<Server>;

export async function startSesServer(port: number): Promise<{ server: Server; port: number; endpoint: string }> {
  // CommonJS under ESM: the function is the default export's default.
  const module = sesLocal as unknown as { default?: StartServer };
  const start = module.default ?? (sesLocal as unknown as StartServer);
  const server = await start({ host: '127.0.0.1', port });
  const bound = (server.address() as AddressInfo).port;
  return { server, port: bound, endpoint: `http://127.0.0.1:${bound}` };
}
