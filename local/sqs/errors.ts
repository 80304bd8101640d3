/**
 * SQS's errors, by the codes the AWS SDK maps to its exception classes. SQS speaks JSON with the
 * "awsQueryCompatible" trait: the SDK accepts both the shape name (`QueueDoesNotExist`) and the
 * old query code (`AWS.SimpleQueueService.NonExistentQueue`); we answer with the shape name.
 */
import { AwsServiceError } from '#local/aws-error.ts';

export const queueDoesNotExist = (what: string): AwsServiceError => new AwsServiceError('QueueDoesNotExist', `The specified queue does not exist: ${what}`);

export const invalidParameter = (message: string): AwsServiceError => new AwsServiceError('InvalidParameterValue', message);

export const missingParameter = (name: string): AwsServiceError => new AwsServiceError('MissingParameter', `The request must contain the parameter ${name}.`);

export const receiptHandleIsInvalid = (handle: string): AwsServiceError =>
  new AwsServiceError('ReceiptHandleIsInvalid', `The input receipt handle "${handle}" is not a valid receipt handle.`, 404);

export const messageNotInflight = (): AwsServiceError => new AwsServiceError('MessageNotInflight', 'The message referred to is not in flight.');

export const invalidMessageContents = (message: string): AwsServiceError => new AwsServiceError('InvalidMessageContents', message);

export const invalidAttributeName = (name: string): AwsServiceError => new AwsServiceError('InvalidAttributeName', `Unknown Attribute ${name}.`);
