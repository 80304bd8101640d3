/**
 * The deployed console's two routes without an authorizer, because they are how a person gets the
 * session the authorizer asks for: `GET /sign-in` sends the browser to Cognito's managed login,
 * `GET /auth/callback` takes the code it returns and sets the session cookie. Neither reads or
 * changes anything in the stack.
 */
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import * as z from 'zod';
import { CALLBACK_PATH, finishSignIn, SIGN_IN_PATH, SignInError, startSignIn, type LoginSettings } from '#console/auth/session.ts';
import { EnvVars, required } from '#shared/config.ts';
import { logger } from '#shared/logger.ts';

const settings: LoginSettings = {
  loginUrl: required(EnvVars.ConsoleLoginUrl),
  clientId: required(EnvVars.ConsoleClientId),
  consoleUrl: required(EnvVars.ConsoleUrl),
};

const httpEvent = z.object({
  rawPath: z.string(),
  cookies: z.array(z.string()).optional(),
  queryStringParameters: z.record(z.string(), z.string()).optional(),
});

const NO_STORE = { 'cache-control': 'no-store', 'referrer-policy': 'no-referrer' };
const text = (statusCode: number, body: string) => ({ statusCode, headers: { 'content-type': 'text/plain; charset=utf-8', ...NO_STORE }, body });

async function sessionHandler(input: unknown) {
  const event = httpEvent.safeParse(input);
  if (!event.success) return text(400, 'Bad request');
  const { rawPath, cookies, queryStringParameters: query } = event.data;
  if (rawPath === SIGN_IN_PATH) {
    const start = startSignIn(settings);
    return { statusCode: 302, headers: { location: start.location, ...NO_STORE }, cookies: [start.setCookie], body: '' };
  }
  if (rawPath !== CALLBACK_PATH) return text(404, 'Not found');
  try {
    const signedIn = await finishSignIn(settings, { code: query?.code, state: query?.state, cookies });
    logger.info('signed in');
    return { statusCode: 303, headers: { location: '/journeys', ...NO_STORE }, cookies: [...signedIn.setCookies], body: '' };
  } catch (error) {
    if (!(error instanceof SignInError)) throw error;
    logger.warn('sign-in refused', { reason: error.message });
    return text(400, `${error.message}: ${new URL(SIGN_IN_PATH.slice(1), settings.consoleUrl).toString()}`);
  }
}

export const handler = middy(sessionHandler).use(injectLambdaContext(logger));
