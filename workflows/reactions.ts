/**
 * What a workflow does with a task's reactions: every send request at `<path>.sends` goes to the
 * outreach queue, every event at `<path>.events` goes on the bus (Source `lifecycle`). Tasks
 * compute reactions deterministically — message keys and event ids derive from the event — so a
 * retried or redelivered execution sends the same requests and events again, and the sender and
 * the recorder apply each once.
 */
import { Duration } from 'aws-cdk-lib';
import type { IEventBus } from 'aws-cdk-lib/aws-events';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { JitterType, JsonPath, Map as MapState, TaskInput, type IChainable, type INextable, type State } from 'aws-cdk-lib/aws-stepfunctions';
import { EventBridgePutEvents, SqsSendMessage } from 'aws-cdk-lib/aws-stepfunctions-tasks';
import type { Construct } from 'constructs';
import { LIFECYCLE_SOURCE } from '#shared/events/catalog.ts';

export interface ReactionTargets {
  readonly outreachQueue: IQueue;
  readonly eventBus: IEventBus;
}

const retry = { errors: ['States.ALL'], interval: Duration.seconds(1), maxAttempts: 5, backoffRate: 2, jitterStrategy: JitterType.FULL };

/** Sends the requests at `<path>.sends`; put the result's events on the bus with `emitReactions`. */
export function sendReactions(scope: Construct, id: string, path: string, targets: ReactionTargets, failed: IChainable): State & INextable {
  const send = new SqsSendMessage(scope, `${id} request`, {
    queue: targets.outreachQueue,
    messageBody: TaskInput.fromJsonPathAt('$'),
    resultPath: JsonPath.DISCARD,
  }).addRetry(retry);
  return new MapState(scope, id, { itemsPath: `${path}.sends`, resultPath: JsonPath.DISCARD, maxConcurrency: 10 })
    .itemProcessor(send)
    .addCatch(failed, { errors: ['States.ALL'], resultPath: '$.failure' });
}

/** Puts the events at `<path>.events` (each `{ detailType, detail }`) on the bus. */
export function emitReactions(scope: Construct, id: string, path: string, targets: ReactionTargets, failed: IChainable): State & INextable {
  const put = new EventBridgePutEvents(scope, `${id} event`, {
    entries: [
      { eventBus: targets.eventBus, source: LIFECYCLE_SOURCE, detailType: JsonPath.stringAt('$.detailType'), detail: TaskInput.fromJsonPathAt('$.detail') },
    ],
    resultPath: JsonPath.DISCARD,
  }).addRetry(retry);
  return new MapState(scope, id, { itemsPath: `${path}.events`, resultPath: JsonPath.DISCARD, maxConcurrency: 10 })
    .itemProcessor(put)
    .addCatch(failed, { errors: ['States.ALL'], resultPath: '$.failure' });
}
