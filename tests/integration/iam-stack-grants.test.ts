/**
 * The bug class IAM enforcement is for — a grant forgotten in the stack — caught offline: the
 * synthesized stack, and copies of it each without some of its grants (tests/fixtures/grant-removals.ts),
 * run the same workload; in each copy the behaviours the missing grants make possible do not
 * happen, and the local cloud names the identity and the action it refused. The copies run one
 * after another, each carrying removals that do not stand in each other's way.
 */
import { rmSync } from 'node:fs';
import { ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { beforeAll, describe, expect, it, inject } from 'vitest';
import { MemoryActivityLog } from '#local/activity-log.ts';
import { REMOVALS, type Removal } from '#tests/fixtures/grant-removals.ts';
import { assemblyWithout } from '#tests/support/grants.ts';
import { startTestCloud } from '#tests/support/local-cloud.ts';
import { runWorkload, WORKLOAD_START, type Observed } from '#tests/support/stack-workload.ts';

interface Run {
  readonly observed: Observed;
  /** `iam.denied` lines: who was refused, and what was missing. */
  readonly denials: readonly { readonly who: string; readonly why: string }[];
  /** Why the events the bus could not deliver were dead-lettered. */
  readonly parked: readonly string[];
}

async function run(assemblyDir: string): Promise<Run> {
  const log = new MemoryActivityLog();
  const test = await startTestCloud({ assemblyDir, log, speed: 0, startTime: WORKLOAD_START });
  try {
    const observed = await runWorkload(test);
    const deadLetters = (JSON.parse(test.cloud.outputs['Lifecycle-dev']?.DeadLetterQueues ?? '{}') as Record<string, string>)['event-delivery'] ?? '';
    const parked =
      (await test.sqs.send(new ReceiveMessageCommand({ QueueUrl: deadLetters, MaxNumberOfMessages: 10, MessageAttributeNames: ['All'] }))).Messages ?? [];
    return {
      observed,
      denials: log.activities.filter((activity) => activity.what === 'iam.denied').map((activity) => ({ who: activity.resource, why: activity.detail ?? '' })),
      parked: parked.map((message) => message.MessageAttributes?.ERROR_CODE?.StringValue ?? ''),
    };
  } finally {
    await test.stop();
  }
}

const groups = [...new Set(REMOVALS.map((removal) => removal.group))];
const describeGrant = ({ grant }: Removal) => ('permission' in grant ? `the Lambda permission ${grant.permission}` : `${grant.action} in ${grant.policy}`);

describe("the stack's grants, enforced", () => {
  let intact: Run;
  const without = new Map<number, Run>();
  beforeAll(async () => {
    intact = await run(inject('assemblyDir'));
    for (const group of groups) {
      const directory = assemblyWithout(
        inject('assemblyDir'),
        REMOVALS.filter((removal) => removal.group === group).map((removal) => removal.grant),
      );
      try {
        without.set(group, await run(directory));
      } finally {
        rmSync(directory, { recursive: true, force: true });
      }
    }
  }, 600_000);

  it('refuses nothing the intact stack does, and every behaviour of the workload happens', () => {
    expect(intact.denials).toEqual([]);
    expect(REMOVALS.filter((removal) => !removal.happened(intact.observed)).map((removal) => removal.behaviour)).toEqual([]);
  });

  it('covers at least twenty grants, of every kind of identity', () => {
    expect(REMOVALS.length).toBeGreaterThanOrEqual(20);
    expect(new Set(REMOVALS.map((removal) => removal.kind))).toEqual(
      new Set(['function role', 'state machine role', 'rule target role', 'schedule role', 'Lambda permission', 'function URL permission', 'queue policy']),
    );
  });

  it.each(REMOVALS.map((removal) => [`${removal.kind}: without ${describeGrant(removal)}, ${removal.behaviour} fails`, removal] as const))(
    '%s',
    (_, removal) => {
      const cut = without.get(removal.group);
      if (!cut) throw new Error(`group ${removal.group} did not run`);

      expect(removal.happened(cut.observed)).toBe(false);
      expect(cut.denials).toContainEqual({ who: expect.stringMatching(removal.refused), why: expect.stringContaining(`allows ${removal.action} on `) });
    },
  );

  it("dead-letters an event whose rule's target role may not deliver it, with AccessDeniedException as the reason", () => {
    const group =
      REMOVALS.find((removal) => removal.kind === 'rule target role' && 'policy' in removal.grant && removal.grant.policy.startsWith('Buy'))?.group ?? 0;

    expect(intact.parked).toEqual([]);
    expect(without.get(group)?.parked).toContain('AccessDeniedException');
  });
});
