import { afterEach, describe, expect, it, vi } from 'vitest';
import { countNotActed } from '#shared/decisions.ts';

const written: string[] = [];

afterEach(() => {
  vi.restoreAllMocks();
  written.length = 0;
});

function capture() {
  // Powertools writes its metric lines to the console's stdout.
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    written.push(String(chunk));
    return true;
  });
}

describe('countNotActed', () => {
  it('writes one metric line with the decision, the reason and the count', () => {
    capture();
    countNotActed('not-entered', 'already-started', 3);
    const lines = written
      .join('')
      .split('\n')
      .filter((line) => line.includes('"_aws"'));
    expect(lines).toHaveLength(1);
    const record = JSON.parse(lines[0] ?? '{}');
    expect(record).toMatchObject({ decision: 'not-entered', reason: 'already-started', NotActed: 3 });
  });

  it('writes nothing for no decisions (a launch that refused nobody)', () => {
    capture();
    countNotActed('not-entered', 'ineligible', 0);
    expect(written.join('')).not.toContain('"_aws"');
  });

  it('refuses a reason that is text rather than a word: it would be a time series of its own', () => {
    capture();
    expect(() => countNotActed('not-recorded', 'occurredAt is 30 days in the future')).toThrow(RangeError);
    expect(() => countNotActed('not-recorded', 'mina@example.com')).toThrow(RangeError);
    expect(written.join('')).not.toContain('"_aws"');
  });
});
