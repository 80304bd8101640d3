/**
 * Compiles a journey definition into a Standard state machine (JSONPath only, so it runs in the
 * local cloud). The state is `{ run, … }`; the runtime function does the work between waits:
 *
 *   Enter ─▶ Entered? ─no─▶ Not entered
 *              └─yes─▶ the steps ─▶ Finish completed
 *
 * Every wait is followed by a check of the goal and leave events, so a customer who converted
 * gets no further message. `waitForEvent` waits in slices and looks at the profile timeline after
 * each (the local cloud has no task tokens); `send` puts a send request on the outreach queue with a
 * message key unique to the run and the step, unless the run is in the holdout.
 */
import { Duration } from 'aws-cdk-lib';
import type { IEventBus } from 'aws-cdk-lib/aws-events';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import {
  Choice,
  Condition,
  Fail,
  JitterType,
  JsonPath,
  Pass,
  Result,
  Succeed,
  TaskInput,
  Wait,
  WaitTime,
  type IChainable,
  type INextable,
  type State,
  type TaskStateBase,
} from 'aws-cdk-lib/aws-stepfunctions';
import { EventBridgePutEvents, LambdaInvoke, SqsSendMessage } from 'aws-cdk-lib/aws-stepfunctions-tasks';
import type { Construct } from 'constructs';
import { durationSeconds, type JourneyDefinition, type Step } from '#shared/journeys/definition.ts';

export interface JourneyResources {
  readonly runtime: IFunction;
  readonly outreachQueue: IQueue;
  readonly bus: IEventBus;
}

/** The Source of the custom events journeys emit. */
export const JOURNEY_EVENT_SOURCE = 'lifecycle.journeys';

type Chainable = IChainable & INextable;

const retry = { errors: ['States.ALL'], interval: Duration.seconds(2), maxAttempts: 4, backoffRate: 2, jitterStrategy: JitterType.FULL };

/** Author paths (`$.trigger.data`) point into the run, which the state keeps under `run`. */
function runPaths(value: unknown): unknown {
  if (typeof value === 'string' && value.startsWith('$.')) return JsonPath.objectAt(`$.run.${value.slice(2)}`);
  if (Array.isArray(value)) return value.map(runPaths);
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, runPaths(inner)]));
  return value;
}

export function compileJourney(scope: Construct, journey: JourneyDefinition, resources: JourneyResources): IChainable {
  const exit = { goals: journey.exit.goals, leave: journey.exit.leave };
  const hasExits = exit.goals.length + exit.leave.length > 0;

  const call = (id: string, payload: Record<string, unknown>, resultPath: string, catchFailures = true): TaskStateBase => {
    const task = new LambdaInvoke(scope, id, {
      lambdaFunction: resources.runtime,
      payload: TaskInput.fromObject(payload),
      payloadResponseOnly: true,
      retryOnServiceExceptions: false,
      resultPath,
    }).addRetry(retry);
    if (catchFailures) task.addCatch(finishFailed, { errors: ['States.ALL'], resultPath: '$.failure' });
    return task;
  };

  const finish = (outcome: string, end: State): TaskStateBase => {
    const task = new LambdaInvoke(scope, `Finish ${outcome}`, {
      lambdaFunction: resources.runtime,
      payload: TaskInput.fromObject({ action: 'finish', 'run.$': '$.run', outcome }),
      payloadResponseOnly: true,
      retryOnServiceExceptions: false,
      resultPath: JsonPath.DISCARD,
    }).addRetry(retry);
    task.next(end);
    return task;
  };

  const finishFailed = finish('failed', new Fail(scope, 'Failed', { error: 'JourneyStepFailed', cause: 'A step of the journey failed after retries; the run ended.' }));
  const finishConverted = finish('converted', new Succeed(scope, 'Converted'));
  const finishLeft = finish('left', new Succeed(scope, 'Left'));
  const finishCompleted = finish('completed', new Succeed(scope, 'Completed'));

  /** After a wait: a goal ends the run as converted, a leave event as left. */
  const exitCheck = (id: string, next: IChainable): IChainable => {
    if (!hasExits) return next;
    const check = call(`Check exit after ${id}`, { action: 'check', 'run.$': '$.run', ...exit }, '$.exit');
    return check.next(
      new Choice(scope, `Exit after ${id}?`)
        .when(Condition.stringEquals('$.exit.outcome', 'converted'), finishConverted)
        .when(Condition.stringEquals('$.exit.outcome', 'left'), finishLeft)
        .otherwise(next),
    );
  };

  const compileSteps = (steps: readonly Step[], next: IChainable): IChainable =>
    steps.reduceRight<IChainable>((continuation, each) => compileStep(each, continuation), next);

  const compileStep = (each: Step, next: IChainable): IChainable => {
    const { id } = each;
    if ('send' in each) {
      const request = new SqsSendMessage(scope, `Send ${id}`, {
        queue: resources.outreachQueue,
        messageBody: TaskInput.fromObject({
          version: 1,
          messageKey: JsonPath.format(`journey:${journey.name}:{}:${id}`, JsonPath.stringAt('$.run.runId')),
          customerId: JsonPath.stringAt('$.run.customerId'),
          template: each.send.template,
          kind: each.send.kind,
          ...(each.send.topic && { topic: each.send.topic }),
          variables: runPaths(each.send.variables ?? {}),
          ...(each.send.personalize && { personalize: runPaths(each.send.personalize) }),
          ...(journey.frequencyCap && { frequencyCap: journey.frequencyCap }),
          origin: { journey: journey.name, version: journey.version, step: id },
        }),
        resultPath: JsonPath.DISCARD,
      })
        .addRetry(retry)
        .addCatch(finishFailed, { errors: ['States.ALL'], resultPath: '$.failure' });
      request.next(next);
      // The holdout receives nothing but walks the same path, so its conversions are comparable.
      return new Choice(scope, `Holdout skips ${id}?`).when(Condition.booleanEquals('$.run.holdout', true), next).otherwise(request);
    }
    if ('wait' in each) {
      const after = exitCheck(id, next);
      if ('for' in each.wait) return new Wait(scope, `Wait ${id}`, { time: WaitTime.duration(Duration.seconds(durationSeconds(each.wait.for))) }).next(after);
      const when = call(`When does ${id} end?`, { action: 'waitEnds', 'run.$': '$.run', wait: each.wait }, '$.wait');
      return when.next(new Wait(scope, `Wait ${id}`, { time: WaitTime.timestampPath('$.wait.at') }).next(after));
    }
    if ('waitForEvent' in each) {
      const { event, timeout } = each.waitForEvent;
      const came = each.waitForEvent.then ? compileSteps(each.waitForEvent.then, next) : next;
      const timedOut = each.waitForEvent.else ? compileSteps(each.waitForEvent.else, next) : next;
      const start = new Pass(scope, `Start waiting ${id}`, { result: Result.fromObject({ startedAt: null }), resultPath: '$.poll' });
      const look = call(
        `Look for ${id}`,
        { action: 'poll', 'run.$': '$.run', event, timeoutSeconds: durationSeconds(timeout), 'startedAt.$': '$.poll.startedAt', ...exit },
        '$.poll',
      );
      const slice = new Wait(scope, `Wait a while ${id}`, { time: WaitTime.secondsPath('$.poll.waitSeconds') });
      slice.next(look);
      start.next(look);
      look.next(
        new Choice(scope, `Came ${id}?`)
          .when(Condition.stringEquals('$.poll.exit', 'converted'), finishConverted)
          .when(Condition.stringEquals('$.poll.exit', 'left'), finishLeft)
          .when(Condition.booleanEquals('$.poll.came', true), came)
          .when(Condition.booleanEquals('$.poll.timedOut', true), timedOut)
          .otherwise(slice),
      );
      return start;
    }
    if ('branch' in each) {
      const evaluate = call(`Evaluate ${id}`, { action: 'evaluate', 'run.$': '$.run', condition: each.branch.if }, '$.branch');
      const otherwise = each.branch.else ? compileSteps(each.branch.else, next) : next;
      return evaluate.next(new Choice(scope, `${id}?`).when(Condition.booleanEquals('$.branch.result', true), compileSteps(each.branch.then, next)).otherwise(otherwise));
    }
    if ('split' in each) {
      const assign = call(`Assign ${id}`, { action: 'split', 'run.$': '$.run', stepId: id, variants: each.split.variants.map(({ name, percent }) => ({ name, percent })) }, '$.run.variant');
      const choice = new Choice(scope, `Variant ${id}?`);
      const [first, ...rest] = each.split.variants;
      for (const variant of rest) choice.when(Condition.stringEquals('$.run.variant', variant.name), compileSteps(variant.steps, next));
      return assign.next(choice.otherwise(first ? compileSteps(first.steps, next) : next));
    }
    if ('holdout' in each) {
      return call(`Holdout ${id}`, { action: 'holdout', 'run.$': '$.run', stepId: id, percent: each.holdout.percent }, '$.run.holdout').next(next);
    }
    if ('updateProfile' in each) {
      return call(`Update profile ${id}`, { action: 'updateProfile', 'run.$': '$.run', stepId: id, attributes: each.updateProfile.attributes }, JsonPath.DISCARD).next(next);
    }
    const emit: Chainable = new EventBridgePutEvents(scope, `Emit ${id}`, {
      entries: [
        {
          eventBus: resources.bus,
          source: JOURNEY_EVENT_SOURCE,
          detailType: each.emit.detailType,
          detail: TaskInput.fromObject({
            journey: journey.name,
            version: journey.version,
            runId: JsonPath.stringAt('$.run.runId'),
            customerId: JsonPath.stringAt('$.run.customerId'),
            data: runPaths(each.emit.data ?? {}),
          }),
        },
      ],
      resultPath: JsonPath.DISCARD,
    })
      .addRetry(retry)
      .addCatch(finishFailed, { errors: ['States.ALL'], resultPath: '$.failure' });
    return emit.next(next);
  };

  const enter = call(
    'Enter',
    {
      action: 'enter',
      journey: {
        name: journey.name,
        version: journey.version,
        reentry: journey.entry.reentry,
        ...('profile' in journey.trigger && journey.trigger.profile && { profile: journey.trigger.profile }),
      },
      'runId.$': '$$.Execution.Name',
      'input.$': '$',
    },
    '$',
    false,
  );
  return enter.next(
    new Choice(scope, 'Entered?')
      .when(Condition.booleanEquals('$.entered', true), compileSteps(journey.steps, finishCompleted))
      .otherwise(new Succeed(scope, 'Not entered')),
  );
}
