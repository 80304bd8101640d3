import { describe, expect, it } from 'vitest';
import { billedGbSeconds, billedMs } from '#bench/lambda-duration.ts';

describe('the Lambda duration model', () => {
  it("stretches code time by the vCPU share the memory buys, adds awaited calls and each invocation's rounding", () => {
    // By hand: 512 MB is 512/1769 of a vCPU, so 100 ms of code take 345.5 ms; 10 calls × 20 ms; 4 invocations × 1 ms.
    const fn = { requests: 4, memoryMb: 512, activeMs: 100, awsCalls: 10 };
    expect(billedMs(fn)).toBeCloseTo(345.5078125 + 200 + 4, 9);
    expect(billedGbSeconds(fn)).toBeCloseTo(0.5495078125 * 0.5, 12);
  });

  it('takes the CPU time the code used where it was measured, not the time the thread was busy waiting for a core', () => {
    expect(billedMs({ requests: 1, memoryMb: 1769, activeMs: 250, cpuMs: 60, awsCalls: 0 })).toBeCloseTo(61, 9);
  });

  it('gives no more than a whole vCPU, however much memory', () => {
    // 3,538 MB is two vCPUs in Lambda, but one invocation's code runs on one: 100 ms stay 100 ms.
    expect(billedMs({ requests: 1, memoryMb: 3538, activeMs: 100, awsCalls: 0 })).toBeCloseTo(101, 9);
  });

  it('bills nothing for a function that never ran', () => {
    expect(billedGbSeconds({ requests: 0, memoryMb: 256, activeMs: 0, awsCalls: 0 })).toBe(0);
  });
});
