/**
 * The deployed console's sign-in with Cognito's managed login: the authorization-code flow with
 * PKCE (a public app client, so no secret to keep), and the session as an HttpOnly cookie holding
 * the access token, which the API's authorizer verifies on every request.
 *
 * Cookies are `__Host-` cookies: Secure, host-only, path /, so no other site or subdomain can set
 * or read them. SameSite=Lax lets the session travel on the top-level navigation back from the
 * login page and keeps it off other sites' form posts.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

export const SESSION_COOKIE = '__Host-console-session';
export const SIGN_IN_COOKIE = '__Host-console-sign-in';
export const SIGN_IN_PATH = '/sign-in';
export const CALLBACK_PATH = '/auth/callback';
/** How long a sign-in may take at the login page before it must start again. */
const SIGN_IN_SECONDS = 600;

export interface LoginSettings {
  /** The managed login's base URL: https://<prefix>.auth.<region>.amazoncognito.com */
  readonly loginUrl: string;
  readonly clientId: string;
  /** The console's own URL, with a trailing slash. */
  readonly consoleUrl: string;
}

const cookie = (name: string, value: string, maxAgeSeconds: number) => `${name}=${value}; Secure; HttpOnly; SameSite=Lax; Path=/; Max-Age=${maxAgeSeconds}`;
const base64url = (bytes: Buffer) => bytes.toString('base64url');
const redirectUri = (settings: LoginSettings) => new URL(CALLBACK_PATH.slice(1), settings.consoleUrl).toString();

/** A cookie's value from the request's cookies (API Gateway gives them as a list of `name=value`). */
export function cookieValue(cookies: readonly string[] | undefined, name: string): string | undefined {
  for (const each of cookies ?? []) {
    for (const part of each.split(/;\s*/)) {
      const at = part.indexOf('=');
      if (at > 0 && part.slice(0, at).trim() === name) return part.slice(at + 1).trim();
    }
  }
  return undefined;
}

export interface SignInStart {
  /** Where the browser goes: the managed login. */
  readonly location: string;
  /** Remembers the state and the PKCE verifier until the login page sends the browser back. */
  readonly setCookie: string;
}

/** The start of a sign-in: a fresh state and PKCE verifier, and the managed login's authorize URL. */
export function startSignIn(settings: LoginSettings): SignInStart {
  const state = base64url(randomBytes(24));
  const verifier = base64url(randomBytes(32));
  const challenge = base64url(createHash('sha256').update(verifier).digest());
  const authorize = new URL('/oauth2/authorize', settings.loginUrl);
  for (const [key, value] of Object.entries({
    response_type: 'code',
    client_id: settings.clientId,
    redirect_uri: redirectUri(settings),
    scope: 'openid',
    state,
    code_challenge: challenge,
    code_challenge_method: 'S256',
  }))
    authorize.searchParams.set(key, value);
  return { location: authorize.toString(), setCookie: cookie(SIGN_IN_COOKIE, `${state}.${verifier}`, SIGN_IN_SECONDS) };
}

export class SignInError extends Error {
  override readonly name = 'SignInError';
}

export interface SignedIn {
  /** The session cookie, and the sign-in cookie cleared. */
  readonly setCookies: readonly string[];
}

const sameText = (a: string, b: string) => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

/**
 * The end of a sign-in: the code exchanged for tokens at the managed login's token endpoint, with
 * the verifier only this browser holds; the access token becomes the session cookie.
 *
 * @throws SignInError when the state does not match (a forged or stale callback) or the exchange fails
 */
export async function finishSignIn(
  settings: LoginSettings,
  callback: { readonly code?: string; readonly state?: string; readonly cookies?: readonly string[] },
  post: typeof fetch = fetch,
): Promise<SignedIn> {
  const [state, verifier] = (cookieValue(callback.cookies, SIGN_IN_COOKIE) ?? '').split('.');
  if (!state || !verifier || !callback.code || !callback.state || !sameText(state, callback.state)) {
    throw new SignInError('the sign-in did not start here or took too long: start again');
  }
  const response = await post(new URL('/oauth2/token', settings.loginUrl), {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      client_id: settings.clientId,
      code: callback.code,
      redirect_uri: redirectUri(settings),
      code_verifier: verifier,
    }),
  });
  if (!response.ok) throw new SignInError(`the login service refused the code (${response.status})`);
  const tokens = (await response.json()) as { access_token?: string; expires_in?: number };
  if (!tokens.access_token) throw new SignInError('the login service answered without an access token');
  return {
    setCookies: [cookie(SESSION_COOKIE, tokens.access_token, tokens.expires_in ?? 3600), cookie(SIGN_IN_COOKIE, '', 0)],
  };
}
