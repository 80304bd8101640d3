import { rmSync } from 'node:fs';
import { PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it, inject } from 'vitest';
import { MemoryActivityLog } from '#local/activity-log.ts';
import { DetailTypes, LIFECYCLE_SOURCE } from '#shared/events/catalog.ts';
import type { EmitInput } from '#shared/events/emitter.ts';
import { ProbeNames } from '#tests/fixtures/probes.ts';
import { assemblyWithout } from '#tests/support/grants.ts';
import { emitAndSettle, startTestCloud, type TestCloud } from '#tests/support/local-cloud.ts';

const DAY = 86_400_000;

/** One grant of each kind of identity, as the stack makes it. */
const REMOVED = [
  // A function's role: record-event writes the profile.
  { policy: 'RecordEventRoleDefaultPolicy', action: 'dynamodb:PutItem' },
  // A state machine's role: the research workflow invokes record-event.
  { policy: 'ResearchWorkflowStateMachineRoleDefaultPolicy', action: 'lambda:InvokeFunction' },
  // A rule target's role: the buy route starts the buy workflow.
  { policy: 'BuyWorkflowStateMachineEventsRoleDefaultPolicy', action: 'states:StartExecution' },
  // A schedule's role: the probe schedule sends to its queue.
  { policy: 'ProbesSchedulerRoleDefaultPolicy', action: 'sqs:SendMessage' },
  // EventBridge for a rule, under a queue policy: the stage-change probe's queue.
  { policy: 'ProbesStageChangesPolicy', action: 'sqs:SendMessage' },
];

interface Running {
  readonly test: TestCloud;
  readonly log: MemoryActivityLog;
}

async function start(assemblyDir: string): Promise<Running> {
  const log = new MemoryActivityLog();
  return { test: await startTestCloud({ assemblyDir, log, speed: 0 }), log };
}

const denials = ({ log }: Running) => log.activities.filter((activity) => activity.what === 'iam.denied').map((activity) => `${activity.resource}: ${activity.detail}`);
const queueUrl = ({ test }: Running, name: string) => `${test.cloud.endpoint}/000000000000/${name}`;
const received = async (running: Running, queue: string) =>
  (await running.test.sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl(running, queue), MaxNumberOfMessages: 10, MessageAttributeNames: ['All'] }))).Messages ?? [];

describe("the stack's grants, enforced", () => {
  let intact: Running;
  let cut: Running;
  let cutDir: string;
  beforeAll(async () => {
    cutDir = assemblyWithout(inject('assemblyDir'), REMOVED);
    [intact, cut] = await Promise.all([start(inject('assemblyDir')), start(cutDir)]);
    const events: EmitInput[] = [
      { detailType: 'lead.captured', detail: { customer: { id: 'iam-1', email: 'iam-1@example.com' }, data: { channel: 'web' } } },
      { detailType: 'product.viewed', detail: { customer: { id: 'iam-1' }, data: { productId: 'p-1' } } },
      { detailType: 'order.placed', detail: { customer: { id: 'iam-1' }, data: { orderId: 'o-1', items: [{ productId: 'p-1', quantity: 1, price: 5 }], total: 5, currency: 'EUR' } } },
    ] as EmitInput[];
    for (const running of [intact, cut]) {
      await emitAndSettle(running.test, events);
      // A stage change as the system announces it, straight onto the bus.
      await running.test.eventBridge.send(new PutEventsCommand({ Entries: [{ EventBusName: running.test.busName, Source: LIFECYCLE_SOURCE, DetailType: DetailTypes.CustomerStageChanged, Detail: '{}' }] }));
      running.test.cloud.clock.advance(DAY);
      await running.test.cloud.settle(120_000);
    }
  }, 240_000);
  afterAll(async () => {
    await Promise.all([intact?.test.stop(), cut?.test.stop()]);
    if (cutDir) rmSync(cutDir, { recursive: true, force: true });
  });

  it('refuses nothing the intact stack does', () => {
    expect(denials(intact)).toEqual([]);
  });

  it("refuses a function's call its role lost the grant for, and the task fails on AccessDeniedException", () => {
    expect(denials(cut)).toContainEqual(expect.stringMatching(/^Lifecycle-dev-RecordEventRole\w*: no statement allows dynamodb:PutItem on arn:aws:dynamodb:us-east-1:000000000000:table\//));
    expect(cut.log.activities).toContainEqual(expect.objectContaining({ what: 'lambda.invoke', resource: expect.stringMatching(/RecordEvent/), outcome: 'failed AccessDeniedException' }));
  });

  it("refuses a state machine's task its role lost the grant for", () => {
    expect(denials(cut)).toContainEqual(expect.stringMatching(/^Lifecycle-dev-ResearchWorkflowStateMachineRole\w*: no statement allows lambda:InvokeFunction/));
  });

  it("refuses a rule's delivery its target role lost the grant for, and dead-letters the event with why", async () => {
    const deadLetters = (running: Running) => (JSON.parse(running.test.cloud.outputs['Lifecycle-dev']?.DeadLetterQueues ?? '{}') as Record<string, string>)['event-delivery'] ?? '';
    const parked = async (running: Running) => (await running.test.sqs.send(new ReceiveMessageCommand({ QueueUrl: deadLetters(running), MaxNumberOfMessages: 10, MessageAttributeNames: ['All'] }))).Messages ?? [];

    expect(await parked(intact)).toEqual([]);
    expect((await parked(cut)).map((message) => message.MessageAttributes?.ERROR_CODE?.StringValue)).toContain('AccessDeniedException');
    expect(denials(cut)).toContainEqual(expect.stringMatching(/^Lifecycle-dev-BuyWorkflowStateMachineEventsRole\w*: no statement allows states:StartExecution/));
  });

  it("refuses a schedule's delivery its role lost the grant for", async () => {
    expect(await received(intact, ProbeNames.Scheduled)).not.toEqual([]);
    expect(await received(cut, ProbeNames.Scheduled)).toEqual([]);
    expect(denials(cut)).toContainEqual(expect.stringMatching(/^Lifecycle-dev-ProbesSchedulerRole\w*: no statement allows sqs:SendMessage/));
  });

  it("refuses EventBridge's delivery to a queue whose policy lost the rule's statement", async () => {
    expect(await received(intact, ProbeNames.StageChanges)).not.toEqual([]);
    expect(await received(cut, ProbeNames.StageChanges)).toEqual([]);
    expect(denials(cut)).toContainEqual(expect.stringMatching(/^events\.amazonaws\.com: no statement allows sqs:SendMessage on arn:aws:sqs:us-east-1:000000000000:probe-stage-changes/));
  });
});
