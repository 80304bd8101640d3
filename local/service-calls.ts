/**
 * Calls from Step Functions tasks to the local services that run as their own servers: DynamoDB
 * (dynalite, JSON protocol) and SES v2 (aws-ses-v2-local, through the AWS SDK client).
 */
import * as ses from '@aws-sdk/client-sesv2';
import type { SESv2Client } from '@aws-sdk/client-sesv2';
import { AwsServiceError } from './aws-error.ts';

/** An SES v2 call by action name (`SendEmail`), as `aws-sdk:sesv2:sendEmail` makes it. */
export async function callSes(client: SESv2Client, action: string, params: Record<string, unknown>): Promise<unknown> {
  const Command = (ses as unknown as Record<string, new (input: unknown) => Parameters<SESv2Client['send']>[0]>)[`${action}Command`];
  if (!Command) throw new AwsServiceError('UnknownOperationException', `SES v2 has no ${action}`);
  try {
    const { $metadata: _metadata, ...output } = (await client.send(new Command(params))) as unknown as Record<string, unknown>;
    return output;
  } catch (error) {
    const name = error instanceof Error ? error.name : 'InternalFailure';
    throw new AwsServiceError(name, error instanceof Error ? error.message : String(error));
  }
}

/** A DynamoDB JSON call, as a Step Functions integration makes it, straight to the local store. */
export async function callDynamo(target: { host: string; port: number }, action: string, params: Record<string, unknown>): Promise<unknown> {
  const response = await fetch(`http://${target.host}:${target.port}/`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-amz-json-1.0',
      'x-amz-target': `DynamoDB_20120810.${action}`,
      // The local store checks that a request is signed, not the signature.
      'x-amz-date': '20260101T000000Z',
      authorization: 'AWS4-HMAC-SHA256 Credential=local/20260101/us-east-1/dynamodb/aws4_request, SignedHeaders=host;x-amz-date, Signature=local',
    },
    body: JSON.stringify(params),
  });
  const body = (await response.json()) as Record<string, unknown>;
  if (!response.ok) {
    const code =
      String(body.__type ?? 'InternalServerError')
        .split('#')
        .pop() ?? 'InternalServerError';
    throw new AwsServiceError(code, String(body.message ?? body.Message ?? code), response.status);
  }
  return body;
}
