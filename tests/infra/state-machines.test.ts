import aslValidator from 'asl-validator';
import { describe, expect, it } from 'vitest';
import { loadDefinitions } from '#infra/definitions.ts';
import { ErrorNames } from '#shared/errors.ts';
import { STAGES } from '#shared/stages/stages.ts';
import { stateMachineDefinitions } from '#tests/support/definitions.ts';
import { defaultStack } from '#tests/support/stack.ts';

const { template } = defaultStack();
const repository = await loadDefinitions();
const definitions = stateMachineDefinitions(template.toJSON() as never);
const workflowIds = [...definitions.keys()].filter((id) => id.includes('Workflow'));

describe('state machine definitions', () => {
  it('has one workflow per stage plus the profile workflow, and none for journeys (they run in the engine)', () => {
    expect(workflowIds).toHaveLength(STAGES.length + 1);
    expect(definitions.size).toBe(STAGES.length + 1);
  });

  it.each([...definitions.keys()])('%s is valid Amazon States Language', (logicalId) => {
    // asl-validator changes what it validates: give it a copy.
    const result = aslValidator(structuredClone(definitions.get(logicalId)), { checkArn: true, checkPaths: true });
    expect(result.errorsText('\n')).toBe('');
    expect(result.isValid).toBe(true);
  });

  it.each([...definitions.keys()])('%s uses JSONPath only, so it runs in the local cloud', (logicalId) => {
    const text = JSON.stringify(definitions.get(logicalId));
    expect(text).not.toContain('JSONata');
    expect(text).not.toContain('"Assign"');
    expect(text).not.toContain('.waitForTaskToken');
    expect(text).not.toContain('.sync');
  });

  it.each(workflowIds)('%s retries and catches on every task', (logicalId) => {
    const tasks = Object.entries(definitions.get(logicalId)?.States ?? {}).filter(([, state]) => state.Type === 'Task');
    expect(tasks.length).toBeGreaterThanOrEqual(4);
    for (const [name, state] of tasks) {
      expect(state.Retry, `${name} has no Retry`).toBeDefined();
      const parks = name.startsWith('Park');
      if (!parks) expect(state.Catch, `${name} has no Catch`).toBeDefined();
    }
  });

  const discover = definitions.get(workflowIds[0] ?? '');
  const states = discover?.States ?? {};

  it('never retries an invalid event, retries a concurrent update with backoff and jitter', () => {
    const retry = states['Record event']?.Retry ?? [];
    expect(retry[0]).toMatchObject({ ErrorEquals: [ErrorNames.InvalidEvent, ErrorNames.Configuration], MaxAttempts: 0 });
    expect(retry[1]).toMatchObject({ ErrorEquals: [ErrorNames.ConcurrentUpdate], MaxAttempts: 6, BackoffRate: 2, JitterStrategy: 'FULL' });
    expect(retry.at(-1)).toMatchObject({ ErrorEquals: ['States.ALL'] });
  });

  it('parks a rejected event and a failed one in the dead-letter queue, with the error', () => {
    const catches = states['Record event']?.Catch ?? [];
    expect(catches).toEqual([
      { ErrorEquals: [ErrorNames.InvalidEvent], ResultPath: '$.failure', Next: 'Park rejected event' },
      { ErrorEquals: ['States.ALL'], ResultPath: '$.failure', Next: 'Park failed event' },
    ]);
    expect(states['Park rejected event']).toMatchObject({
      Resource: 'arn:aws:states:::sqs:sendMessage',
      Parameters: { 'MessageBody.$': '$' },
      Next: 'Rejected',
    });
    expect(states.Rejected?.Type).toBe('Succeed');
    expect(states['Park failed event']?.Next).toBe('Failed');
    expect(states.Failed?.Type).toBe('Fail');
  });

  it('announces a stage change on the bus only when the record task says so', () => {
    expect(states['Stage changed?']).toMatchObject({
      Type: 'Choice',
      Choices: [{ Variable: '$.recorded.announce', BooleanEquals: true, Next: 'Announce stage change' }],
      Default: 'Recorded',
    });
    expect(states['Announce stage change']).toMatchObject({
      Resource: 'arn:aws:states:::events:putEvents',
      Parameters: { Entries: [{ 'Detail.$': '$.recorded.stageChanged', DetailType: 'customer.stage.changed', Source: 'lifecycle' }] },
    });
  });
});
