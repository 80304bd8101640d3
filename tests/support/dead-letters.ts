/** The stack's dead-letter queues in a test cloud: their URLs by name, and how many messages each holds. */
import { GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import type { TestCloud } from './local-cloud.ts';

/** The stack's `DeadLetterQueues` output: queue URLs by the name `lifecycle dlq` gives them. */
export function deadLetterQueues(test: TestCloud): Record<string, string> {
  const [outputs = {}] = Object.values(test.cloud.outputs);
  return JSON.parse(outputs.DeadLetterQueues ?? '{}') as Record<string, string>;
}

/** Messages visible in one dead-letter queue, by its name. */
export async function messagesIn(test: TestCloud, queue: string): Promise<number> {
  const { Attributes = {} } = await test.sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: deadLetterQueues(test)[queue], AttributeNames: ['ApproximateNumberOfMessages'] }),
  );
  return Number(Attributes.ApproximateNumberOfMessages ?? 0);
}
