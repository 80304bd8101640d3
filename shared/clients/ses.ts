/**
 * The SES v2 client, one per process. Each client has a file of its own so that a function loads
 * only the SDK packages it calls: Lambda's runtime loads each one it is asked for at a cold start.
 */
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { singleton } from './singleton.ts';

export const sesClient = singleton(() => new SESv2Client({}));
