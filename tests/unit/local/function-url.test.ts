import { describe, expect, it } from 'vitest';
import { FunctionError } from '#local/lambda/function-sandbox.ts';
import { functionUrlEvent, serveFunctionUrl, toHttpResponse, type FunctionUrlSpec } from '#local/lambda/function-url.ts';

const request = (url: string, headers: Record<string, string> = {}, body = '') => ({ method: 'GET', url, headers, body: Buffer.from(body) });
const urls = new Map<string, FunctionUrlSpec>([
  ['open', { functionName: 'open', authType: 'NONE' }],
  ['private', { functionName: 'private', authType: 'AWS_IAM' }],
]);

describe('function URLs', () => {
  it('gives the function the path below its URL, the query, cookies and a text body as is', () => {
    const event = functionUrlEvent({ ...request('/lambda-url/open/a/b?x=1&y=2', { cookie: 'a=1; b=2', 'content-type': 'application/json' }, '{"k":1}'), method: 'POST' }, 'open', 0);

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
    expect(toHttpResponse({ statusCode: 302, headers: { location: '/x' }, cookies: ['a=1'] })).toEqual({ status: 302, headers: { location: '/x', 'set-cookie': ['a=1'] }, body: '' });
  });

  it('refuses an unsigned request to a URL with AWS_IAM auth, and never calls the function', async () => {
    let called = false;
    const invoke = async () => {
      called = true;
      return {};
    };

    const refused = await serveFunctionUrl(request('/lambda-url/private/'), urls, invoke, 0);
    const signed = await serveFunctionUrl(request('/lambda-url/private/', { authorization: 'AWS4-HMAC-SHA256 Credential=x' }), urls, invoke, 0);

    expect(refused.status).toBe(403);
    expect(signed.status).toBe(200);
    expect(called).toBe(true);
  });

  it('answers 404 for an unknown URL and 502 when the function fails', async () => {
    const failing = async () => {
      throw new FunctionError({ errorType: 'Boom', errorMessage: 'no' });
    };
    expect((await serveFunctionUrl(request('/lambda-url/nothing/'), urls, failing, 0)).status).toBe(404);
    expect(await serveFunctionUrl(request('/lambda-url/open/'), urls, failing, 0)).toMatchObject({ status: 502, headers: { 'x-amzn-errortype': 'Boom' } });
  });
});
