import { describe, expect, it } from 'vitest';
import { VirtualClock } from '#local/clock.ts';
import { prepareDefinition } from '#local/stepfunctions/prepare-definition.ts';
import { nextDelayMs, withRetries, type Retrier } from '#local/stepfunctions/retry.ts';

const named = (name: string) => Object.assign(new Error(name), { name });

describe('task retries on the virtual clock', () => {
  const retriers: Retrier[] = [
    { ErrorEquals: ['InvalidEventError'], MaxAttempts: 0 },
    { ErrorEquals: ['ConcurrentUpdateError'], IntervalSeconds: 1, MaxAttempts: 3, BackoffRate: 2 },
    { ErrorEquals: ['States.ALL'], IntervalSeconds: 5, MaxAttempts: 1, MaxDelaySeconds: 2 },
  ];

  it('backs off exponentially with the first matching retrier, then gives up', () => {
    const attempts = retriers.map(() => 0);
    const delays = [1, 2, 3, 4].map(() => nextDelayMs(retriers, attempts, 'ConcurrentUpdateError'));
    expect(delays).toEqual([1000, 2000, 4000, undefined]);
  });

  it('never retries an error whose retrier allows no attempts, even with States.ALL after it', () => {
    expect(
      nextDelayMs(
        retriers,
        retriers.map(() => 0),
        'InvalidEventError',
      ),
    ).toBeUndefined();
  });

  it('caps the delay at MaxDelaySeconds and does not let States.ALL match States.Runtime', () => {
    expect(
      nextDelayMs(
        retriers,
        retriers.map(() => 0),
        'Anything',
      ),
    ).toBe(2000);
    expect(
      nextDelayMs(
        retriers,
        retriers.map(() => 0),
        'States.Runtime',
      ),
    ).toBeUndefined();
  });

  it('applies full jitter below the back-off', () => {
    const jittered: Retrier[] = [{ ErrorEquals: ['States.ALL'], IntervalSeconds: 10, JitterStrategy: 'FULL' }];
    expect(nextDelayMs(jittered, [0], 'E', () => 0.25)).toBe(2500);
  });

  it('waits on the clock between attempts and returns the first success', async () => {
    const clock = new VirtualClock({ speed: 0 });
    let calls = 0;
    const result = withRetries(retriers, clock, async () => {
      calls++;
      if (calls < 3) throw named('ConcurrentUpdateError');
      return 'done';
    });
    for (let step = 0; step < 5 && calls < 3; step++) {
      await new Promise((resolve) => setImmediate(resolve));
      clock.advance(10_000);
    }
    await expect(result).resolves.toBe('done');
    expect(calls).toBe(3);
  });
});

describe('definitions prepared for the local interpreter', () => {
  const definition = {
    StartAt: 'Wait a day',
    States: {
      'Wait a day': { Type: 'Wait', Seconds: 86_400, Next: 'Work' },
      Work: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Retry: [{ ErrorEquals: ['States.ALL'] }], Next: 'Fan out' },
      'Fan out': { Type: 'Parallel', Branches: [{ StartAt: 'Until', States: { Until: { Type: 'Wait', TimestampPath: '$.at', End: true } } }], End: true },
    },
  };

  it('turns every Wait into a task on the clock and takes Retry off tasks, in branches too', () => {
    const prepared = prepareDefinition(definition);
    const states = prepared.definition.States;

    expect(states['Wait a day']).toMatchObject({ Type: 'Task', Resource: 'arn:aws:states:::local:wait', Next: 'Work' });
    expect(states.Work).not.toHaveProperty('Retry');
    expect(prepared.tasks.get('Wait a day')?.wait).toEqual({ Seconds: 86_400 });
    expect(prepared.tasks.get('Work')?.retry).toEqual([{ ErrorEquals: ['States.ALL'] }]);
    expect(prepared.tasks.get('Until')?.wait).toEqual({ TimestampPath: '$.at' });
  });

  it('refuses a definition that reuses a task name, which the interpreter could not tell apart', () => {
    const task = { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', End: true };
    const reused = {
      StartAt: 'A',
      States: { A: { ...task, Next: 'B', End: undefined }, B: { Type: 'Parallel', Branches: [{ StartAt: 'A', States: { A: task } }], End: true } },
    };
    expect(() => prepareDefinition(reused)).toThrow('state name A is used twice');
  });
});
