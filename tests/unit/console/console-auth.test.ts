/**
 * The deployed console's sign-in and its authorizer's verdict. Tokens are signed here with a key
 * made for the test, and verified by aws-jwt-verify given that key's JWKS, as it would be given
 * Cognito's: the verifier is the real one, only the key is the test's.
 */
import { createHash, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { CognitoJwtVerifier } from 'aws-jwt-verify';
import { describe, expect, it } from 'vitest';
import { identityOf, LOCAL_OPERATOR } from '#console/auth/roles.ts';
import { finishSignIn, SESSION_COOKIE, SIGN_IN_COOKIE, SignInError, startSignIn } from '#console/auth/session.ts';
import { sessionVerdict } from '#console/auth/session-verdict.ts';

const POOL = 'us-east-1_TestPool1';
const CLIENT = 'console-client-id';
const ISSUER = `https://cognito-idp.us-east-1.amazonaws.com/${POOL}`;
const SETTINGS = {
  loginUrl: 'https://lifecycle-dev-1.auth.us-east-1.amazoncognito.com',
  clientId: CLIENT,
  consoleUrl: 'https://abc.execute-api.us-east-1.amazonaws.com/',
};

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

function keyPair(kid: string): { privateKey: KeyObject; jwk: Record<string, unknown> } {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { privateKey, jwk: { ...publicKey.export({ format: 'jwk' }), kid, alg: 'RS256', use: 'sig' } };
}

function token(privateKey: KeyObject, kid: string, claims: Record<string, unknown>): string {
  const now = Math.floor(Date.now() / 1000);
  const body = `${b64({ alg: 'RS256', kid, typ: 'JWT' })}.${b64({ iss: ISSUER, client_id: CLIENT, token_use: 'access', sub: 'user-1', username: 'mina', iat: now, exp: now + 3600, ...claims })}`;
  return `${body}.${sign('sha256', Buffer.from(body), privateKey).toString('base64url')}`;
}

const pool = keyPair('pool-key');
const verifier = CognitoJwtVerifier.create({ userPoolId: POOL, clientId: CLIENT, tokenUse: 'access' });
verifier.cacheJwks({ keys: [pool.jwk as never] });
const cookies = (value: string) => ['lang=ko', `${SESSION_COOKIE}=${value}`];

describe('console roles', () => {
  it('lets marketing view, dry-run and launch, and operators also erase, redrive, lift and export', () => {
    const marketing = identityOf('mina', ['marketing']);
    const operator = identityOf('jun', ['operators']);

    expect([...marketing.permissions].sort()).toEqual(['launch', 'view']);
    expect([...operator.permissions].sort()).toEqual(['erase', 'export', 'launch', 'lift-suppression', 'redrive', 'view']);
    expect([...identityOf('both', ['marketing', 'operators']).permissions]).toContain('erase');
  });

  it('grants nothing for groups that are not the console’s', () => {
    const stranger = identityOf('x', ['admins', 'Marketing', '__proto__']);

    expect(stranger.roles).toEqual([]);
    expect(stranger.permissions.size).toBe(0);
  });

  it('treats the loopback user as an operator', () => {
    expect(LOCAL_OPERATOR.permissions.has('erase')).toBe(true);
  });
});

describe('the session authorizer', () => {
  it('admits a valid access token of a marketing member, passing the name and groups on', async () => {
    const verdict = await sessionVerdict(verifier, cookies(token(pool.privateKey, 'pool-key', { 'cognito:groups': ['marketing', 'sales'] })));

    expect(verdict).toEqual({ isAuthorized: true, context: { username: 'mina', groups: 'marketing' } });
  });

  it.each([
    ['no session cookie', () => ['lang=en'], 'no session'],
    ['an expired token', () => cookies(token(pool.privateKey, 'pool-key', { 'cognito:groups': ['operators'], exp: 1_000_000 })), 'token does not verify'],
    [
      'a token for another client',
      () => cookies(token(pool.privateKey, 'pool-key', { 'cognito:groups': ['operators'], client_id: 'other' })),
      'token does not verify',
    ],
    [
      'an id token',
      () => cookies(token(pool.privateKey, 'pool-key', { 'cognito:groups': ['operators'], token_use: 'id', aud: CLIENT })),
      'token does not verify',
    ],
    [
      'a token signed with another key',
      () => cookies(token(keyPair('pool-key').privateKey, 'pool-key', { 'cognito:groups': ['operators'] })),
      'token does not verify',
    ],
    ['a member of no console group', () => cookies(token(pool.privateKey, 'pool-key', { 'cognito:groups': ['sales'] })), 'in no console group'],
  ])('refuses %s', async (_, requestCookies, why) => {
    await expect(sessionVerdict(verifier, requestCookies())).resolves.toEqual({ isAuthorized: false, why });
  });
});

describe('signing in', () => {
  it('sends the browser to the managed login with a PKCE challenge of a verifier only its cookie holds', () => {
    const start = startSignIn(SETTINGS);
    const url = new URL(start.location);
    const [state, verifierText] = (/=([^;]*)/.exec(start.setCookie)?.[1] ?? '').split('.');

    expect(`${url.origin}${url.pathname}`).toBe(`${SETTINGS.loginUrl}/oauth2/authorize`);
    expect(url.searchParams.get('redirect_uri')).toBe(`${SETTINGS.consoleUrl}auth/callback`);
    expect(url.searchParams.get('state')).toBe(state);
    expect(url.searchParams.get('code_challenge')).toBe(
      createHash('sha256')
        .update(verifierText ?? '')
        .digest('base64url'),
    );
    expect(url.searchParams.get('code_challenge_method')).toBe('S256');
    expect(start.setCookie).toMatch(new RegExp(`^${SIGN_IN_COOKIE}=.+; Secure; HttpOnly; SameSite=Lax; Path=/; Max-Age=600$`));
  });

  it('exchanges the code with the verifier and keeps the access token in a Secure, HttpOnly cookie', async () => {
    const start = startSignIn(SETTINGS);
    const signInCookie = start.setCookie.split(';')[0] ?? '';
    const state = new URL(start.location).searchParams.get('state') ?? '';
    const posted: URLSearchParams[] = [];
    const tokenEndpoint = (async (url: URL, init: RequestInit) => {
      expect(String(url)).toBe(`${SETTINGS.loginUrl}/oauth2/token`);
      posted.push(new URLSearchParams(String(init.body)));
      return new Response(JSON.stringify({ access_token: 'the-access-token', expires_in: 3600 }), { status: 200 });
    }) as typeof fetch;

    const signedIn = await finishSignIn(SETTINGS, { code: 'the-code', state, cookies: [signInCookie] }, tokenEndpoint);

    expect(posted[0]?.get('code_verifier')).toBe(signInCookie.split('.')[1]);
    expect(posted[0]?.get('grant_type')).toBe('authorization_code');
    expect(signedIn.setCookies[0]).toBe(`${SESSION_COOKIE}=the-access-token; Secure; HttpOnly; SameSite=Lax; Path=/; Max-Age=3600`);
    expect(signedIn.setCookies[1]).toMatch(new RegExp(`^${SIGN_IN_COOKIE}=; .*Max-Age=0$`));
  });

  it('refuses a callback whose state is not the one this browser started with, without calling the login service', async () => {
    const start = startSignIn(SETTINGS);
    let called = false;
    const tokenEndpoint = (async () => {
      called = true;
      return new Response('{}');
    }) as typeof fetch;

    await expect(finishSignIn(SETTINGS, { code: 'c', state: 'forged', cookies: [start.setCookie.split(';')[0] ?? ''] }, tokenEndpoint)).rejects.toThrow(
      SignInError,
    );
    await expect(finishSignIn(SETTINGS, { code: 'c', state: 'forged' }, tokenEndpoint)).rejects.toThrow(SignInError);
    expect(called).toBe(false);
  });
});
