import { describe, expect, it } from 'vitest';
import { consoleMonthlyCost, MARKETING_TEAM } from '#bench/console-cost.ts';

const total = (lines: ReturnType<typeof consoleMonthlyCost>) => lines.reduce((sum, line) => sum + line.usdPerMonth, 0);

describe('the console cost model', () => {
  it("prices a team's month from the published rates: $1.00 per million HTTP API requests, two Lambda requests each, and free users", () => {
    const use = { ...MARKETING_TEAM, people: 4, requestsPerPersonDay: 50, workingDaysPerMonth: 20, accessLogBytes: 0 };
    const lines = consoleMonthlyCost(use);
    const requests = 4 * 50 * 20;

    expect(lines.find((line) => line.item.startsWith('API Gateway'))?.usdPerMonth).toBeCloseTo(requests * 1e-6, 12);
    expect(lines.find((line) => line.item.startsWith('Lambda requests'))?.usdPerMonth).toBeCloseTo(2 * requests * 0.2e-6, 12);
    const gbSeconds = requests * (0.3 * 0.5 + 0.03 * 0.25);
    expect(lines.find((line) => line.item.startsWith('Lambda GB'))?.usdPerMonth).toBeCloseTo(gbSeconds * 0.0000133334, 12);
    expect(lines.find((line) => line.item.startsWith('Cognito'))?.usdPerMonth).toBe(0);
    for (const line of lines) expect(line.source).toMatch(/^https:\/\/aws\.amazon\.com\//);
  });

  it('costs a marketing team well under a dollar a month, and bills users only past the free 10,000', () => {
    expect(total(consoleMonthlyCost(MARKETING_TEAM))).toBeLessThan(0.1);
    const crowd = consoleMonthlyCost({ ...MARKETING_TEAM, people: 10_100, requestsPerPersonDay: 0 });
    expect(crowd.find((line) => line.item.startsWith('Cognito'))?.usdPerMonth).toBeCloseTo(100 * 0.015, 10);
  });
});
