import { describe, expect, it } from 'vitest';
import { FaultInjector, type FaultCall } from '#local/faults.ts';

const calls: FaultCall[] = Array.from({ length: 200 }, (_, n) => ({
  resources: [n % 2 ? 'RecordEvent' : 'OutreachSender'],
  content: JSON.stringify({ eventId: `e-${n}` }),
}));

/** Which calls fail, as `content` strings, when they arrive in this order (each made twice: a try and its retry). */
function failing(order: readonly FaultCall[], seed = 7): string[] {
  const faults = new FaultInjector();
  faults.set([{ point: 'lambda', rate: 0.3 }], seed);
  const failed: string[] = [];
  for (const call of order) {
    for (const attempt of ['try', 'retry']) if (faults.check('lambda', call)) failed.push(`${call.content} ${attempt}`);
  }
  return failed.sort();
}

describe('fault injection', () => {
  it('fails the same calls whatever order they arrive in', () => {
    const shuffled = [...calls.filter((_, n) => n % 3 === 2), ...calls.filter((_, n) => n % 3 !== 2).reverse()];

    expect(failing([...calls].reverse())).toEqual(failing(calls));
    expect(failing(shuffled)).toEqual(failing(calls));
  });

  it('fails about the share asked for, and decides a retry anew', () => {
    const failed = failing(calls);
    const tries = failed.filter((entry) => entry.endsWith(' try')).length;
    const retriesOfFailedTries = failed.filter((entry) => entry.endsWith(' retry') && failed.includes(entry.replace(/ retry$/, ' try'))).length;

    // 400 decisions at 0.3: 120 expected; far outside 80..160 would mean a biased draw.
    expect(failed.length).toBeGreaterThan(80);
    expect(failed.length).toBeLessThan(160);
    // Were a retry decided as its try was, every failed try's retry would fail too.
    expect(retriesOfFailedTries).toBeLessThan(tries);
  });

  it('fails other calls under another seed', () => {
    expect(failing(calls, 8)).not.toEqual(failing(calls, 7));
  });

  it('fails only the calls whose resource a rule names', () => {
    const faults = new FaultInjector();
    faults.set([{ point: 'lambda', resource: 'RecordEvent', rate: 1 }]);

    expect(calls.filter((call) => faults.check('lambda', call)).map((call) => call.resources[0])).toEqual(Array(100).fill('RecordEvent'));
    expect(faults.injected.get('lambda')).toBe(100);
  });
});
