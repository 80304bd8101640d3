/** The SQS client, one per process. */
import { SQSClient } from '@aws-sdk/client-sqs';
import { singleton } from './singleton.ts';

export const sqsClient = singleton(() => new SQSClient({}));
