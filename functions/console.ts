/**
 * The deployed console: the same pages and actions as the local console (console/dispatch.ts),
 * behind an HTTP API whose authorizer lets only signed-in members of the console's groups through.
 * Who asks comes from the authorizer's verdict, as API Gateway passes it, and each route's
 * permission is checked against that person's groups before the page runs. The stack's outputs,
 * the definitions and the console's assets are compiled into the bundle at synth time.
 */
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import * as z from 'zod';
import { deployedTarget } from '#cli/target.ts';
import type { Asset } from '#console/assets.ts';
import { identityOf } from '#console/auth/roles.ts';
import { answerConsole, type ConsoleDeps } from '#console/dispatch.ts';
import { LaunchJobs } from '#console/launches.ts';
import type { Definitions } from '#infra/definitions.ts';
import { documentClient } from '#shared/clients/dynamodb.ts';
import { EnvVars, config, required } from '#shared/config.ts';
import { JourneyDefinition } from '#shared/journeys/definition.ts';
import { logger } from '#shared/logger.ts';
import { SegmentDefinition } from '#shared/segments/segment.ts';

declare const __LIFECYCLE_DEFINITIONS__: string | undefined;
declare const __CONSOLE_ASSETS__: string | undefined;

const env = config();
const target = deployedTarget(z.record(z.string(), z.string()).parse(JSON.parse(required(EnvVars.ConsoleStackOutputs))), env[EnvVars.Region]);
const definitions: Definitions = {
  ...z
    .object({ journeys: z.array(JourneyDefinition), segments: z.array(SegmentDefinition), versions: z.array(JourneyDefinition) })
    .parse(JSON.parse(typeof __LIFECYCLE_DEFINITIONS__ === 'string' ? __LIFECYCLE_DEFINITIONS__ : '{"journeys":[],"segments":[],"versions":[]}')),
  notDeployable: [],
};
const assets = new Map(Object.entries(JSON.parse(typeof __CONSOLE_ASSETS__ === 'string' ? __CONSOLE_ASSETS__ : '{}') as Record<string, Asset>));

const deps: ConsoleDeps = {
  assets,
  target: () => Promise.resolve(target),
  store: { ddb: documentClient(), tableName: target.tableName },
  definitions,
  launches: new LaunchJobs(),
  pageHeaders: { 'strict-transport-security': 'max-age=31536000', 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' },
};

/** API Gateway's HTTP API event (payload 2.0), with the Lambda authorizer's verdict. */
const consoleEvent = z.object({
  rawPath: z.string(),
  rawQueryString: z.string().default(''),
  cookies: z.array(z.string()).optional(),
  headers: z.record(z.string(), z.string()).default({}),
  body: z.string().optional(),
  isBase64Encoded: z.boolean().default(false),
  requestContext: z.object({
    domainName: z.string(),
    http: z.object({ method: z.string() }),
    authorizer: z.object({ lambda: z.object({ username: z.string(), groups: z.string() }) }),
  }),
});

const refuse = (statusCode: number, body: string) => ({ statusCode, headers: { 'content-type': 'text/plain; charset=utf-8' }, body });

async function consoleHandler(input: unknown) {
  const parsed = consoleEvent.safeParse(input);
  // Without the authorizer's verdict nobody is known, and nothing is shown.
  if (!parsed.success) return refuse(401, 'Unauthorized');
  const { rawPath, rawQueryString, cookies, headers, body, isBase64Encoded, requestContext } = parsed.data;
  const method = requestContext.http.method;
  const origin = `https://${requestContext.domainName}`;
  // A form from another site is refused even where a browser would send the session with it.
  if (method === 'POST' && headers.origin !== undefined && headers.origin !== origin) return refuse(403, 'Forbidden');
  const { username, groups } = requestContext.authorizer.lambda;
  const form =
    method === 'POST' && body !== undefined
      ? new URLSearchParams(isBase64Encoded ? Buffer.from(body, 'base64').toString('utf8') : body)
      : new URLSearchParams();
  const answer = await answerConsole(
    {
      method,
      url: new URL(`${rawPath}${rawQueryString ? `?${rawQueryString}` : ''}`, origin),
      ...(cookies && { cookie: cookies.join('; ') }),
      ...(headers['accept-language'] !== undefined && { acceptLanguage: headers['accept-language'] }),
      form,
      identity: identityOf(username, groups.split(',')),
    },
    deps,
  );
  // A launch started here must finish before the instance is frozen (the launcher itself goes on
  // if the call is cut: the launch id makes a second try start nobody twice).
  await deps.launches.idle();
  logger.info('console request', { method, route: rawPath.split('/')[1] ?? '', status: answer.status });
  const { 'set-cookie': setCookie, ...rest } = answer.headers;
  return { statusCode: answer.status, headers: rest, ...(setCookie && { cookies: [setCookie] }), body: answer.body };
}

export const handler = middy(consoleHandler).use(injectLambdaContext(logger));
