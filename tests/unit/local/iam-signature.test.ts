import { describe, expect, it } from 'vitest';
import { checkSignature, parseAuthorization, type SignedRequest, type SigningCredentials } from '#local/iam/signature.ts';

// AWS's published SigV4 test suite, case get-vanilla: the request, the key, and the signature AWS computed.
const VANILLA_AUTHORIZATION =
  'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31';
const KEY: SigningCredentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' };
const SIGNED_AT = Date.UTC(2015, 7, 30, 12, 36, 0);
const vanilla = (headers: Record<string, string> = {}): SignedRequest => ({
  method: 'GET',
  url: '/',
  headers: { host: 'example.amazonaws.com', 'x-amz-date': '20150830T123600Z', authorization: VANILLA_AUTHORIZATION, ...headers },
  body: Buffer.alloc(0),
});
const check = (request: SignedRequest, credentials = KEY, nows = [SIGNED_AT]) => {
  const authorization = parseAuthorization(String(request.headers.authorization));
  if (!authorization) throw new Error('not a SigV4 authorization');
  return checkSignature(request, authorization, credentials, nows);
};

describe('SigV4 signatures', () => {
  it('reads the parts of an Authorization header, and nothing from one that lacks a part', () => {
    expect(parseAuthorization(VANILLA_AUTHORIZATION)).toEqual({
      accessKeyId: 'AKIDEXAMPLE',
      region: 'us-east-1',
      service: 'service',
      signedHeaders: ['host', 'x-amz-date'],
      signature: '5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31',
    });
    expect(parseAuthorization('AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request')).toBeUndefined();
    expect(parseAuthorization('Bearer x')).toBeUndefined();
    expect(parseAuthorization(undefined)).toBeUndefined();
  });

  it("accepts AWS's own signature of its test request", async () => {
    expect(await check(vanilla())).toBeUndefined();
  });

  it('refuses the same request under another secret, or with a signed header changed', async () => {
    const mismatch = { code: 'InvalidSignatureException', message: expect.stringMatching(/^The request signature we calculated does not match/) };

    expect(await check(vanilla(), { ...KEY, secretAccessKey: 'another' })).toEqual(mismatch);
    expect(await check(vanilla({ host: 'elsewhere.amazonaws.com' }))).toEqual(mismatch);
  });

  it('refuses a signature more than five minutes from every clock it may be signed by', async () => {
    const later = SIGNED_AT + 10 * 60_000;

    expect(await check(vanilla(), KEY, [later])).toEqual({
      code: 'InvalidSignatureException',
      message: 'Signature expired: 20150830T123600Z is now earlier than 20150830T124100Z (20150830T124600Z - 5 min.)',
    });
    expect(await check(vanilla(), KEY, [later, SIGNED_AT + 4 * 60_000])).toBeUndefined();
  });

  it('refuses session credentials used without their token', async () => {
    expect(await check(vanilla(), { ...KEY, sessionToken: 'issued-token' })).toEqual({
      code: 'UnrecognizedClientException',
      message: 'The security token included in the request is invalid.',
    });
  });
});
