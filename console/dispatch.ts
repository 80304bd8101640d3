/**
 * One request to the console, answered without knowing the transport: the local server
 * (server.ts) and the deployed function (functions/console.ts) both hand their request here, so
 * both serve the same pages with the same permission check.
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Target } from '#cli/target.ts';
import type { Definitions } from '#infra/definitions.ts';
import type { Asset } from './assets.ts';
import type { Identity } from './auth/roles.ts';
import { html, renderDocument } from './html.ts';
import { chooseLanguage, translator } from './i18n.ts';
import type { LaunchJobs } from './launches.ts';
import type { PageContext, PageResult } from './page.ts';
import { ROUTES } from './routes.ts';

export interface ConsoleRequest {
  readonly method: string;
  readonly url: URL;
  readonly cookie?: string;
  readonly acceptLanguage?: string;
  /** A POSTed form's fields (empty for a GET). */
  readonly form: URLSearchParams;
  /** Who asks, as the transport established it. */
  readonly identity: Identity;
}

export interface ConsoleResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

export interface ConsoleDeps {
  readonly assets: ReadonlyMap<string, Asset>;
  /** The stack the console works on, for this request (a local cloud's clock moves). */
  readonly target: () => Promise<Target>;
  readonly store: { readonly ddb: DynamoDBDocumentClient; readonly tableName: string };
  readonly definitions: Definitions;
  readonly launches: LaunchJobs;
  /** Extra headers on every page (the deployed console adds HSTS). */
  readonly pageHeaders?: Readonly<Record<string, string>>;
}

const redirect = (location: string, headers: Record<string, string> = {}): ConsoleResponse => ({ status: 303, headers: { location, ...headers }, body: '' });

/** The language switch: a cookie, then back where the person was (only to a path of this site). */
function switchLanguage(form: URLSearchParams): ConsoleResponse {
  const lang = form.get('lang') === 'ko' ? 'ko' : 'en';
  const back = form.get('back') ?? '/journeys';
  return redirect(back.startsWith('/') && !back.startsWith('//') ? back : '/journeys', { 'set-cookie': `lang=${lang}; Path=/; SameSite=Strict` });
}

async function routeResult(request: ConsoleRequest, deps: ConsoleDeps, context: Omit<PageContext, 'params' | 'target'>): Promise<PageResult> {
  const { url, method, identity } = request;
  const route = ROUTES.map((each) => ({ each, match: each.method === method ? each.pattern.exec(url.pathname) : null })).find(({ match }) => match);
  if (!route?.match) return { kind: 'page', title: '404', body: html`<p>${url.pathname}</p>`, status: 404 };
  // Refused before the page runs: a refused action reads and changes nothing.
  if (!identity.permissions.has(route.each.permission)) {
    const roles = identity.roles.join(', ') || '—';
    return {
      kind: 'page',
      title: '403',
      body: html`<p role="alert" data-field="forbidden">${context.t('auth.forbidden')} (${roles}: ${route.each.permission})</p>`,
      status: 403,
    };
  }
  const params = route.match.slice(1).map((part) => decodeURIComponent(part ?? ''));
  return route.each.page({ ...context, params, target: await deps.target() });
}

export async function answerConsole(request: ConsoleRequest, deps: ConsoleDeps): Promise<ConsoleResponse> {
  const { url, method, form } = request;
  const asset = deps.assets.get(url.pathname);
  if (asset && method === 'GET') return { status: 200, headers: { 'content-type': asset.type, 'cache-control': 'no-cache' }, body: asset.body };
  if (url.pathname === '/') return redirect('/journeys');
  if (url.pathname === '/language' && method === 'POST') return switchLanguage(form);
  const lang = chooseLanguage(request.cookie, request.acceptLanguage);
  const t = translator(lang);
  const context = { url, method, form, lang, t, store: deps.store, definitions: deps.definitions, launches: deps.launches, identity: request.identity };
  const result = await routeResult(request, deps, context);
  if (result.kind === 'redirect') return redirect(result.location);
  if (result.kind === 'json') {
    return {
      status: result.status ?? 200,
      headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' },
      body: JSON.stringify(result.body),
    };
  }
  if (result.kind === 'download') {
    return { status: 200, headers: { 'content-type': result.type, 'content-disposition': `attachment; filename="${result.filename}"` }, body: result.body };
  }
  const document = renderDocument(
    { title: result.title, lang, t, path: url.pathname, ...(result.refresh !== undefined && { refresh: result.refresh }) },
    result.body,
  );
  return {
    status: result.status ?? 200,
    headers: { 'content-type': 'text/html; charset=utf-8', 'content-language': lang, 'x-frame-options': 'DENY', ...deps.pageHeaders },
    body: document,
  };
}
