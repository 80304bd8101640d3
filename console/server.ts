/**
 * The console's HTTP server: loopback only, no login (locally the machine's user is the operator).
 * It answers page URLs with server-rendered HTML, reads and acts through the same code the CLI uses
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
import { html, renderDocument } from './html.ts';
import { chooseLanguage, translator } from './i18n.ts';
import { LaunchJobs } from './launches.ts';
import type { PageContext, PageResult } from './page.ts';
import { ROUTES } from './routes.ts';

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
  const assets: ReadonlyMap<string, Asset> = await buildAssets();
  const first = await resolveTarget({ endpoint: options.endpoint });
  const dynamo = new DynamoDBClient(first.clientConfig);
  const store = { ddb: createDocumentClient(dynamo), tableName: first.tableName };
  const launches = new LaunchJobs();
  let port = 0;

  async function answer(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', `http://${LOOPBACK}:${port}`);
    if (!trusted(request, port)) return void response.writeHead(403, { 'content-type': 'text/plain' }).end('forbidden');
    const asset = assets.get(url.pathname);
    if (asset && request.method === 'GET') return void response.writeHead(200, { 'content-type': asset.type, 'cache-control': 'no-cache' }).end(asset.body);
    if (url.pathname === '/') return void response.writeHead(303, { location: '/journeys' }).end();
    const form = await readForm(request);
    if (url.pathname === '/language' && request.method === 'POST') {
      const lang = form.get('lang') === 'ko' ? 'ko' : 'en';
      const back = form.get('back') ?? '/journeys';
      return void response
        .writeHead(303, {
          location: back.startsWith('/') && !back.startsWith('//') ? back : '/journeys',
          'set-cookie': `lang=${lang}; Path=/; SameSite=Strict`,
        })
        .end();
    }
    const lang = chooseLanguage(request.headers.cookie, request.headers['accept-language']);
    const t = translator(lang);
    const route = ROUTES.map((each) => ({ each, match: each.method === request.method ? each.pattern.exec(url.pathname) : null })).find(({ match }) => match);
    let result: PageResult;
    if (!route?.match) {
      result = { kind: 'page', title: '404', body: html`<p>${url.pathname}</p>`, status: 404 };
    } else {
      const target = await resolveTarget({ endpoint: options.endpoint });
      const params = route.match.slice(1).map((part) => decodeURIComponent(part ?? ''));
      const context: PageContext = { url, method: request.method ?? 'GET', params, form, lang, t, target, store, definitions: options.definitions, launches };
      result = await route.each.page(context);
    }
    if (result.kind === 'redirect') return void response.writeHead(303, { location: result.location }).end();
    if (result.kind === 'download') {
      return void response.writeHead(200, { 'content-type': result.type, 'content-disposition': `attachment; filename="${result.filename}"` }).end(result.body);
    }
    const document = renderDocument(
      { title: result.title, lang, t, path: url.pathname, ...(result.refresh !== undefined && { refresh: result.refresh }) },
      result.body,
    );
    response.writeHead(result.status ?? 200, { 'content-type': 'text/html; charset=utf-8', 'content-language': lang, 'x-frame-options': 'DENY' }).end(document);
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
