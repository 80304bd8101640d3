/**
 * The dead-letter queues of a target and redriving them, as `lifecycle dlq` and the console both
 * do it: one code path, whoever asks.
 */
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { SFNClient } from '@aws-sdk/client-sfn';
import { SQSClient } from '@aws-sdk/client-sqs';
import { countMessages, redriveQueue, type DeadLetterQueue, type Progress, type QueueRedrive } from '#shared/operations/dead-letter-queues.ts';
import { TargetError, type Target } from './target.ts';

/** The dead-letter queues of the target, from the stack's `DeadLetterQueues` output. */
export function deadLetterQueues(target: Target, only?: string): DeadLetterQueue[] {
  const output = target.outputs.DeadLetterQueues;
  if (!output) throw new TargetError('the stack has no DeadLetterQueues output: deploy a newer version');
  const queues = Object.entries(JSON.parse(output) as Record<string, string>).map(([name, url]) => ({ name, url }));
  if (only === undefined) return queues;
  const queue = queues.find((candidate) => candidate.name === only);
  if (!queue) throw new Error(`no dead-letter queue ${only}; the queues are ${queues.map((candidate) => candidate.name).join(', ')}`);
  return [queue];
}

export interface RedriveOrder {
  /** Only this queue. @default every dead-letter queue */
  readonly queue?: string;
  readonly dryRun?: boolean;
  readonly includeRejected?: boolean;
}

/** Who follows a redrive: the message total first, then each queue's progress and end. */
export interface RedriveWatch {
  readonly onTotal?: (total: number) => void;
  readonly onProgress?: (progress: Progress) => void;
  readonly onQueueDone?: () => void;
}

/** Sends dead letters back where they are processed (a dry run says what would go), queue by queue. */
export async function redriveDeadLetters(target: Target, order: RedriveOrder, watch: RedriveWatch = {}): Promise<QueueRedrive[]> {
  const queues = deadLetterQueues(target, order.queue);
  const outreachQueueUrl = target.outputs.OutreachQueueUrl;
  if (!outreachQueueUrl) throw new TargetError('the stack has no OutreachQueueUrl output');
  const sqs = new SQSClient(target.clientConfig);
  const events = new EventBridgeClient(target.clientConfig);
  const lambda = new LambdaClient(target.clientConfig);
  const sfn = new SFNClient(target.clientConfig);
  try {
    const deps = { sqs, events, lambda, sfn, eventBusName: target.busName, outreachQueueUrl };
    watch.onTotal?.((await Promise.all(queues.map((queue) => countMessages(sqs, queue.url)))).reduce((sum, counts) => sum + counts.visible, 0));
    const results: QueueRedrive[] = [];
    for (const queue of queues) {
      results.push(
        await redriveQueue(deps, queue, {
          dryRun: order.dryRun,
          includeRejected: order.includeRejected,
          ...(watch.onProgress && { onProgress: watch.onProgress }),
        }),
      );
      watch.onQueueDone?.();
    }
    return results;
  } finally {
    for (const client of [sqs, events, lambda, sfn]) client.destroy();
  }
}
