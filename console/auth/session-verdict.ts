/**
 * The authorizer's verdict on a request: admitted with the person's name and console groups, or
 * refused. The token is checked by a verifier of Cognito's tokens (aws-jwt-verify: signature
 * against the pool's published keys, issuer, client, token use, expiry).
 */
import { identityOf } from './roles.ts';
import { cookieValue, SESSION_COOKIE } from './session.ts';

export interface TokenVerifier {
  verify(token: string): Promise<{ readonly sub: string; readonly username?: unknown; readonly 'cognito:groups'?: readonly string[] }>;
}

export type Verdict =
  | {
      readonly isAuthorized: true /** Strings only: API Gateway hands them on as requestContext.authorizer.lambda. */;
      readonly context: { readonly username: string; readonly groups: string };
    }
  | { readonly isAuthorized: false; readonly why: 'no session' | 'token does not verify' | 'in no console group' };

export async function sessionVerdict(verifier: TokenVerifier, cookies: readonly string[] | undefined): Promise<Verdict> {
  const token = cookieValue(cookies, SESSION_COOKIE);
  if (!token) return { isAuthorized: false, why: 'no session' };
  let claims: Awaited<ReturnType<TokenVerifier['verify']>>;
  try {
    claims = await verifier.verify(token);
  } catch {
    // Expired, forged, or for another client or pool: all the same to the person asking.
    return { isAuthorized: false, why: 'token does not verify' };
  }
  const identity = identityOf(typeof claims.username === 'string' ? claims.username : claims.sub, claims['cognito:groups'] ?? []);
  if (identity.roles.length === 0) return { isAuthorized: false, why: 'in no console group' };
  return { isAuthorized: true, context: { username: identity.name, groups: identity.roles.join(',') } };
}
