/**
 * The console's HTTP server: loopback only, no login (locally the machine's user is the operator).
 * It answers page URLs with server-rendered HTML (dispatch.ts, as the deployed console does), reads and acts through the same code the CLI uses
 * (cli/target.ts to find the cloud, cli/launch-api.ts to launch), and refuses requests that name
 * another host or come from another origin, so a web page elsewhere cannot drive it.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { resolveTarget } from '#cli/target.ts';
import type { Definitions } from '#infra/definitions.ts';
import { createDocumentClient } from '#shared/clients/dynamodb.ts';
import { buildAssets, type Asset } from './assets.ts';
import { LOCAL_OPERATOR } from './auth/roles.ts';
import { answerConsole, type ConsoleDeps } from './dispatch.ts';
import { LaunchJobs } from './launches.ts';

export interface ConsoleOptions {
  /** The local cloud the console works on. */
  readonly endpoint: string;
  /** @default 8080 (0: any free port) */
  readonly port?: number;
  readonly definitions: Definitions;
}

export interface ConsoleServer {
  readonly url: string;
  stop(): Promise<void>;
}

const LOOPBACK = '127.0.0.1';
const MAX_FORM_BYTES = 2_000_000;

async function readForm(request: IncomingMessage): Promise<URLSearchParams> {
  if (request.method !== 'POST') return new URLSearchParams();
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_FORM_BYTES) throw new Error('the form is larger than 2 MB');
    chunks.push(chunk);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

/** Same host and, for a POST, same origin: the console answers only to itself on this machine. */
function trusted(request: IncomingMessage, port: number): boolean {
  const hosts = [`${LOOPBACK}:${port}`, `localhost:${port}`];
  if (!hosts.includes(request.headers.host ?? '')) return false;
  const origin = request.headers.origin;
  return request.method !== 'POST' || origin === undefined || hosts.some((host) => origin === `http://${host}`);
}

export async function startConsole(options: ConsoleOptions): Promise<ConsoleServer> {
  const assets: ReadonlyMap<string, Asset> = buildAssets();
  const first = await resolveTarget({ endpoint: options.endpoint });
  const dynamo = new DynamoDBClient(first.clientConfig);
  const store = { ddb: createDocumentClient(dynamo), tableName: first.tableName };
  const launches = new LaunchJobs();
  const deps: ConsoleDeps = { assets, target: () => resolveTarget({ endpoint: options.endpoint }), store, definitions: options.definitions, launches };
  let port = 0;

  async function answer(request: IncomingMessage, response: ServerResponse): Promise<void> {
    if (!trusted(request, port)) return void response.writeHead(403, { 'content-type': 'text/plain' }).end('forbidden');
    const answered = await answerConsole(
      {
        method: request.method ?? 'GET',
        url: new URL(request.url ?? '/', `http://${LOOPBACK}:${port}`),
        ...(request.headers.cookie !== undefined && { cookie: request.headers.cookie }),
        ...(request.headers['accept-language'] !== undefined && { acceptLanguage: request.headers['accept-language'] }),
        form: await readForm(request),
        identity: LOCAL_OPERATOR,
      },
      deps,
    );
    response.writeHead(answered.status, answered.headers).end(answered.body);
  }

  const server = createServer((request, response) => {
    answer(request, response).catch((error: unknown) => {
      const message = error instanceof Error ? error.message : String(error);
      if (!response.headersSent) response.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
      response.end(`The console could not answer: ${message}`);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 8080, LOOPBACK, () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  return {
    url: `http://${LOOPBACK}:${port}`,
    async stop() {
      await launches.idle();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      dynamo.destroy();
    },
  };
}
