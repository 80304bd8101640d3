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
import { sessionVerdict } from '#console/auth/session-verdict.ts';
import { EnvVars, required } from '#shared/config.ts';
import { logger } from '#shared/logger.ts';

// Cognito's signing keys are fetched once per instance and kept.
const verifier = CognitoJwtVerifier.create({
  userPoolId: required(EnvVars.ConsoleUserPoolId),
  clientId: required(EnvVars.ConsoleClientId),
  tokenUse: 'access',
});

const authorizerEvent = z.object({ cookies: z.array(z.string()).optional() });

async function authorize(input: unknown) {
  const verdict = await sessionVerdict(verifier, authorizerEvent.safeParse(input).data?.cookies);
  if (!verdict.isAuthorized) {
    // Why, never the token.
    logger.info('refused', { why: verdict.why });
    return { isAuthorized: false };
  }
  return verdict;
}

export const handler = middy(authorize).use(injectLambdaContext(logger));
