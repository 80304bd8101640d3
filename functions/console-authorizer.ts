/**
 * The deployed console's authorizer, on every route but sign-in: the session cookie must hold an
 * access token that Cognito signed for the console's app client, unexpired, of a person in one of
 * the console's groups. API Gateway passes the person's name and groups on to the console, which
 * decides each action from them; a request refused here never reaches it.
 */
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import { CognitoJwtVerifier } from 'aws-jwt-verify';
import * as z from 'zod';
import { identityOf } from '#console/auth/roles.ts';
import { cookieValue, SESSION_COOKIE } from '#console/auth/session.ts';
import { EnvVars, required } from '#shared/config.ts';
import { logger } from '#shared/logger.ts';

// Cognito's signing keys are fetched once per instance and kept.
const verifier = CognitoJwtVerifier.create({
  userPoolId: required(EnvVars.ConsoleUserPoolId),
  clientId: required(EnvVars.ConsoleClientId),
  tokenUse: 'access',
});

const authorizerEvent = z.object({ cookies: z.array(z.string()).optional() });

export interface ConsoleAuthorizerResult {
  readonly isAuthorized: boolean;
  /** Strings only: API Gateway hands them to the console as requestContext.authorizer.lambda. */
  readonly context?: { readonly username: string; readonly groups: string };
}

async function authorize(input: unknown): Promise<ConsoleAuthorizerResult> {
  const token = cookieValue(authorizerEvent.safeParse(input).data?.cookies, SESSION_COOKIE);
  if (!token) return { isAuthorized: false };
  try {
    const claims = await verifier.verify(token);
    const identity = identityOf(String(claims.username ?? claims.sub), claims['cognito:groups'] ?? []);
    if (identity.roles.length === 0) {
      logger.warn('refused: in none of the console groups');
      return { isAuthorized: false };
    }
    return { isAuthorized: true, context: { username: identity.name, groups: identity.roles.join(',') } };
  } catch (error) {
    // Expired, forged or for another client: refused, and said why (the token itself is never logged).
    logger.info('refused: the session token does not verify', { reason: error instanceof Error ? error.name : 'unknown' });
    return { isAuthorized: false };
  }
}

export const handler = middy(authorize).use(injectLambdaContext(logger));
