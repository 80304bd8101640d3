/**
 * Calls from Step Functions tasks to the local service that runs as its own server: SES v2
 * (aws-ses-v2-local, through the AWS SDK client).
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
