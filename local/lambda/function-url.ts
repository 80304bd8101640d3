/**
 * Lambda function URLs in the local cloud, served on the edge at `/lambda-url/<function>/…`: the
 * request becomes the payload (format 2.0) Lambda gives a function URL's function, and the
 * function's answer becomes the HTTP response, with Lambda's rules for answers that are not a
 * full response. A URL serves only the requests its authorizer lets through.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { FunctionError } from './function-sandbox.ts';

export const FUNCTION_URL_PREFIX = '/lambda-url/';

export interface FunctionUrlSpec {
  readonly functionName: string;
  readonly authType: 'NONE' | 'AWS_IAM';
}

export interface HttpRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
}

export interface HttpResponse {
  readonly status: number;
  readonly headers: Record<string, string | string[]>;
  readonly body: Buffer | string;
}

export const localFunctionUrl = (endpoint: string, functionName: string): string => `${endpoint}${FUNCTION_URL_PREFIX}${functionName}/`;

function isText(contentType: string | undefined): boolean {
  return !contentType || /^(text\/|application\/(json|x-www-form-urlencoded|xml|javascript))/.test(contentType);
}

/** The event a function URL's function receives. */
export function functionUrlEvent(request: HttpRequest, functionName: string, now: number) {
  const url = new URL(request.url, 'http://localhost');
  const rawPath = url.pathname.slice(`${FUNCTION_URL_PREFIX}${functionName}`.length) || '/';
  const headers = Object.fromEntries(
    Object.entries(request.headers)
      .filter(([name]) => name !== 'cookie')
      .map(([name, value]) => [name, Array.isArray(value) ? value.join(',') : String(value ?? '')]),
  );
  const text = isText(request.headers['content-type']);
  const query = Object.fromEntries(url.searchParams.entries());
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath,
    rawQueryString: url.search.slice(1),
    ...(request.headers.cookie && { cookies: request.headers.cookie.split(/;\s*/) }),
    headers,
    ...(Object.keys(query).length > 0 && { queryStringParameters: query }),
    requestContext: {
      accountId: 'anonymous',
      apiId: functionName,
      domainName: `${functionName}.lambda-url.local`,
      domainPrefix: functionName,
      http: { method: request.method, path: rawPath, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: headers['user-agent'] ?? '' },
      requestId: randomUUID(),
      routeKey: '$default',
      stage: '$default',
      time: new Date(now).toUTCString(),
      timeEpoch: now,
    },
    ...(request.body.length > 0 && { body: text ? request.body.toString('utf8') : request.body.toString('base64') }),
    isBase64Encoded: request.body.length > 0 && !text,
  };
}

interface FullResponse {
  statusCode?: number;
  headers?: Record<string, string>;
  cookies?: string[];
  body?: string;
  isBase64Encoded?: boolean;
}

/** Lambda's rules: a result with `statusCode` is a response; anything else is a 200 JSON body. */
export function toHttpResponse(result: unknown): HttpResponse {
  if (result !== null && typeof result === 'object' && 'statusCode' in result) {
    const response = result as FullResponse;
    const headers: Record<string, string | string[]> = { ...response.headers };
    if (response.cookies?.length) headers['set-cookie'] = response.cookies;
    const body = response.body === undefined ? '' : response.isBase64Encoded ? Buffer.from(response.body, 'base64') : response.body;
    return { status: response.statusCode ?? 200, headers, body };
  }
  return { status: 200, headers: { 'content-type': 'application/json' }, body: typeof result === 'string' ? result : JSON.stringify(result ?? null) };
}

/** Whether a URL serves a request (its auth type and the function's policy decide); refused: AWS's error code, and its message where Lambda gives one. */
export type UrlAuthorizer = (
  request: HttpRequest,
  url: FunctionUrlSpec,
) => Promise<{ readonly allowed: true } | { readonly allowed: false; readonly code: string; readonly message?: string }>;

export interface FunctionUrlDeps {
  readonly urls: ReadonlyMap<string, FunctionUrlSpec>;
  readonly invoke: (functionName: string, event: unknown) => Promise<unknown>;
  readonly authorize: UrlAuthorizer;
  readonly now: number;
}

// Lambda's refusals: an unauthenticated or unauthorized caller learns only that it is forbidden; a
// signature that does not hold is explained, as AWS explains it to every SigV4 client.
const refusal = (code: string, message: string | undefined): HttpResponse => ({
  status: 403,
  headers: { 'content-type': 'application/json', 'x-amzn-errortype': code },
  body: JSON.stringify(message === undefined ? { Message: 'Forbidden' } : { message }),
});

export async function serveFunctionUrl(request: HttpRequest, deps: FunctionUrlDeps): Promise<HttpResponse> {
  const functionName = decodeURIComponent(request.url.slice(FUNCTION_URL_PREFIX.length).split(/[/?]/)[0] ?? '');
  const spec = deps.urls.get(functionName);
  if (!spec) return { status: 404, headers: { 'content-type': 'application/json' }, body: '{"Message":"no function URL here"}' };
  const verdict = await deps.authorize(request, spec);
  if (!verdict.allowed) return refusal(verdict.code, verdict.message);
  try {
    return toHttpResponse(await deps.invoke(functionName, functionUrlEvent(request, functionName, deps.now)));
  } catch (error) {
    const type = error instanceof FunctionError ? error.payload.errorType : 'Error';
    return { status: 502, headers: { 'content-type': 'application/json', 'x-amzn-errortype': type }, body: '{"Message":"Internal Server Error"}' };
  }
}
