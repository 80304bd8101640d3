/**
 * AWS SDK clients, one of each per process. Endpoints come from the standard AWS SDK environment
 * (`AWS_ENDPOINT_URL`), which is how the local cloud points them at itself.
 */
import { SchedulerClient } from '@aws-sdk/client-scheduler';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { SQSClient } from '@aws-sdk/client-sqs';

function singleton<T>(create: () => T): () => T {
  let instance: T | undefined;
  return () => {
    instance ??= create();
    return instance;
  };
}

export const sesClient = singleton(() => new SESv2Client({}));
export const sqsClient = singleton(() => new SQSClient({}));
export const secretsClient = singleton(() => new SecretsManagerClient({}));
export const schedulerClient = singleton(() => new SchedulerClient({}));
