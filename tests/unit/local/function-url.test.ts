import { describe, expect, it } from 'vitest';
import { FunctionError } from '#local/lambda/function-sandbox.ts';
import { functionUrlEvent, serveFunctionUrl, toHttpResponse, type FunctionUrlSpec, type UrlAuthorizer } from '#local/lambda/function-url.ts';

const request = (url: string, headers: Record<string, string> = {}, body = '') => ({ method: 'GET', url, headers, body: Buffer.from(body) });
const urls = new Map<string, FunctionUrlSpec>([
  ['open', { functionName: 'open', authType: 'NONE' }],
  ['private', { functionName: 'private', authType: 'AWS_IAM' }],
]);

describe('function URLs', () => {
  it('gives the function the path below its URL, the query, cookies and a text body as is', () => {
    const event = functionUrlEvent(
      { ...request('/lambda-url/open/a/b?x=1&y=2', { cookie: 'a=1; b=2', 'content-type': 'application/json' }, '{"k":1}'), method: 'POST' },
      'open',
      0,
    );

    expect(event).toMatchObject({
      version: '2.0',
      rawPath: '/a/b',
      rawQueryString: 'x=1&y=2',
      queryStringParameters: { x: '1', y: '2' },
      cookies: ['a=1', 'b=2'],
      requestContext: { http: { method: 'POST', path: '/a/b' } },
      body: '{"k":1}',
      isBase64Encoded: false,
    });
  });

  it('base64-encodes a binary body', () => {
    const event = functionUrlEvent(request('/lambda-url/open/', { 'content-type': 'application/octet-stream' }, 'bytes'), 'open', 0);
    expect(event).toMatchObject({ body: Buffer.from('bytes').toString('base64'), isBase64Encoded: true });
  });

  it('turns a result without statusCode into a 200 JSON response, as Lambda does', () => {
    expect(toHttpResponse({ ok: true })).toEqual({ status: 200, headers: { 'content-type': 'application/json' }, body: '{"ok":true}' });
    expect(toHttpResponse({ statusCode: 302, headers: { location: '/x' }, cookies: ['a=1'] })).toEqual({
      status: 302,
      headers: { location: '/x', 'set-cookie': ['a=1'] },
      body: '',
    });
  });

  it('serves only what its authorizer allows, in the shapes Lambda refuses with', async () => {
    const invoked: string[] = [];
    const invoke = async (name: string) => {
      invoked.push(name);
      return {};
    };
    const serve = (verdict: Awaited<ReturnType<UrlAuthorizer>>, url = '/lambda-url/private/') =>
      serveFunctionUrl(request(url), { urls, invoke, authorize: async () => verdict, now: 0 });

    const forbidden = await serve({ allowed: false, code: 'AccessDeniedException' });
    const badSignature = await serve({ allowed: false, code: 'InvalidSignatureException', message: 'The request signature we calculated does not match' });
    const allowed = await serve({ allowed: true });

    expect(forbidden).toEqual({
      status: 403,
      headers: { 'content-type': 'application/json', 'x-amzn-errortype': 'AccessDeniedException' },
      body: '{"Message":"Forbidden"}',
    });
    expect(badSignature).toMatchObject({
      status: 403,
      headers: { 'x-amzn-errortype': 'InvalidSignatureException' },
      body: '{"message":"The request signature we calculated does not match"}',
    });
    expect(allowed.status).toBe(200);
    expect(invoked).toEqual(['private']);
  });

  it('answers 404 for an unknown URL and 502 when the function fails', async () => {
    const authorize: UrlAuthorizer = async () => ({ allowed: true });
    const failing = async () => {
      throw new FunctionError({ errorType: 'Boom', errorMessage: 'no' });
    };
    expect((await serveFunctionUrl(request('/lambda-url/nothing/'), { urls, invoke: failing, authorize, now: 0 })).status).toBe(404);
    expect(await serveFunctionUrl(request('/lambda-url/open/'), { urls, invoke: failing, authorize, now: 0 })).toMatchObject({
      status: 502,
      headers: { 'x-amzn-errortype': 'Boom' },
    });
  });
});
