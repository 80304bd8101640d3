import { describe, expect, it } from 'vitest';
import { buildReport } from '#shared/reporting/build-report.ts';
import { emptyData, journeyStats, sampleData } from './sample-report-data.ts';

const report = buildReport(sampleData);

describe('the funnel', () => {
  it('counts customers now in each stage and who ever reached it, with conversion from the stage before', () => {
    expect(report.customers).toBe(6);
    expect(report.funnel.stages.map((stage) => stage.stage)).toEqual(['discover', 'research', 'buy', 'use', 'retain']);
    // Reached: discover 6, research 5, buy 4, use 3, retain 1 (the retained customer went through support too).
    expect(report.funnel.stages.map((stage) => stage.reached)).toEqual([6, 5, 4, 3, 1]);
    expect(report.funnel.stages.map((stage) => stage.now)).toEqual([1, 1, 1, 1, 1]);
    const [discover, research, buy, use, retain] = report.funnel.stages;
    expect(discover?.conversion).toBeNull(); // nothing before discover
    expect(research?.conversion).toBeCloseTo(5 / 6); // 0.833
    expect(buy?.conversion).toBeCloseTo(4 / 5); // 0.8
    expect(use?.conversion).toBeCloseTo(3 / 4); // 0.75
    expect(retain?.conversion).toBeCloseTo(1 / 3); // 0.333
  });

  it('counts support apart from the progression', () => {
    // Customer 5 is in support now; customers 5 and 6 have been there.
    expect(report.funnel.support).toEqual({ now: 1, reached: 2 });
  });

  it('counts the current stage as reached even when the collector left it out', () => {
    const funnel = buildReport({ ...emptyData, customers: [{ stage: 'buy', stagesReached: [], daysInStage: {} }] }).funnel;
    expect(funnel.stages.find((stage) => stage.stage === 'buy')).toMatchObject({ now: 1, reached: 1, conversion: null });
  });

  it('shows conversion above 100% when customers skip a stage, rather than hiding it', () => {
    // Two started at buy with an order, one went through research: reached(buy) / reached(research) = 3 / 1.
    const customers = [
      { stage: 'buy' as const, stagesReached: ['discover', 'research', 'buy'] as const, daysInStage: {} },
      { stage: 'buy' as const, stagesReached: ['buy'] as const, daysInStage: {} },
      { stage: 'buy' as const, stagesReached: ['buy'] as const, daysInStage: {} },
    ];
    const buy = buildReport({ ...emptyData, customers }).funnel.stages.find((stage) => stage.stage === 'buy');
    expect(buy?.conversion).toBe(3);
  });
});

describe('median days in stage', () => {
  const days = Object.fromEntries(report.daysInStage.map((row) => [row.stage, row]));

  it('takes the middle value of an odd count and the mean of the two middle values of an even count', () => {
    // discover: 1 2 3 | 4 5 6 → (3 + 4) / 2 = 3.5
    expect(days.discover).toEqual({ stage: 'discover', customers: 6, medianDays: 3.5 });
    // research: 1 2 (3) 4 5 → 3
    expect(days.research).toEqual({ stage: 'research', customers: 5, medianDays: 3 });
    // buy: 1 1 | 2 3 → 1.5
    expect(days.buy?.medianDays).toBe(1.5);
    // use: 10 (20) 30 → 20; retain: 40 alone
    expect(days.use?.medianDays).toBe(20);
    expect(days.retain?.medianDays).toBe(40);
    // support: 1 | 2 → 1.5
    expect(days.support).toEqual({ stage: 'support', customers: 2, medianDays: 1.5 });
  });

  it('lists the progression in order, then support', () => {
    expect(report.daysInStage.map((row) => row.stage)).toEqual(['discover', 'research', 'buy', 'use', 'retain', 'support']);
  });
});

describe('journey results', () => {
  const [welcome, cart] = report.journeys.results;

  it('works out conversion overall and by group, and the lift', () => {
    expect(welcome).toMatchObject({ journey: 'welcome', version: 1, entered: 100, active: 10, converted: 24 });
    expect(welcome?.conversionRate).toBeCloseTo(0.24); // 24 / 100
    expect(welcome?.treatment?.rate).toBeCloseTo(0.275); // 22 / 80
    expect(welcome?.holdout?.rate).toBeCloseTo(0.1); // 2 / 20
    expect(welcome?.lift).toBeCloseTo(1.75); // (0.275 − 0.1) / 0.1
  });

  it('has no groups to compare, and no lift, for a journey without a holdout step', () => {
    expect(cart?.holdout).toBeNull();
    expect(cart?.treatment).toBeNull();
    expect(cart?.lift).toBeNull();
    expect(cart?.conversionRate).toBeCloseTo(0.3); // 3 / 10
  });

  it('has no holdout rate while a journey with a holdout step has held nobody out', () => {
    const stats = journeyStats('x', { entered: 4, converted: 1, treatment: { entered: 4, converted: 1, rate: 0.25 } });
    const result = buildReport({ ...emptyData, journeys: [stats] }).journeys.results[0];
    expect(result?.holdout).toEqual({ entered: 0, converted: 0, rate: null });
    expect(result?.lift).toBeNull();
  });

  it('has no lift when the holdout never converted (no division by zero)', () => {
    const stats = journeyStats('x', { entered: 10, holdout: { entered: 5, converted: 0, rate: 0 }, treatment: { entered: 5, converted: 2, rate: 0.4 } });
    expect(buildReport({ ...emptyData, journeys: [stats] }).journeys.results[0]?.lift).toBeNull();
  });

  it('sums emails over the steps, and over the journeys', () => {
    // welcome: sent 80 + 70 = 150, delivered 78 + 70 = 148, opened 40 + 30 = 70, clicked 10 + 5 = 15
    expect(welcome?.emails).toMatchObject({ sent: 150, delivered: 148, opened: 70, clicked: 15 });
    expect(welcome?.emails.openRate).toBeCloseTo(70 / 150); // 0.467
    expect(welcome?.emails.clickRate).toBeCloseTo(0.1); // 15 / 150
    // all: entered 100 + 10, converted 24 + 3, sent 150 + 10, opened 70 + 6, clicked 15 + 3
    const totals = report.journeys.totals;
    expect(totals).toMatchObject({ entered: 110, converted: 27, emails: { sent: 160, delivered: 158, opened: 76, clicked: 18 } });
    expect(totals.conversionRate).toBeCloseTo(27 / 110);
  });
});

describe('support', () => {
  const support = report.support;

  it('counts requests by outcome, and the escalated ones still unanswered as open', () => {
    expect(support).toMatchObject({ requests: 6, autoAnswered: 3, escalated: 3, open: 1 });
    expect(support.automationRate).toBeCloseTo(0.5); // 3 / (3 + 3)
  });

  it('gives the 50th and 90th percentiles of the time to a first answer, interpolated between ranks', () => {
    // all answered: 10 20 30 3600 7200 (the open request has no answer)
    //   p50 at rank 0.5 × 4 = 2 → 30
    //   p90 at rank 0.9 × 4 = 3.6 → 3600 + 0.6 × (7200 − 3600) = 5760
    expect(support.firstAnswer.all).toEqual({ answered: 5, p50: 30, p90: 5760 });
    // automatic: 10 20 30 → p50 at rank 1 = 20; p90 at rank 1.8 → 20 + 0.8 × 10 = 28
    expect(support.firstAnswer.automatic.p50).toBe(20);
    expect(support.firstAnswer.automatic.p90).toBeCloseTo(28);
    // escalated: 3600 7200 → p50 at rank 0.5 → 5400; p90 at rank 0.9 → 3600 + 0.9 × 3600 = 6840
    expect(support.firstAnswer.escalated.p50).toBe(5400);
    expect(support.firstAnswer.escalated.p90).toBeCloseTo(6840);
  });

  it('breaks requests down by channel, most requests first', () => {
    // email: 4 requests, 2 automatic of 4 acted on, answers 10 20 7200 → median 20
    // chat: 2 requests, 1 automatic of 2 acted on, answers 30 3600 → median (30 + 3600) / 2 = 1815
    expect(support.byChannel).toEqual([
      { channel: 'email', requests: 4, automationRate: 0.5, p50: 20 },
      { channel: 'chat', requests: 2, automationRate: 0.5, p50: 1815 },
    ]);
  });
});

describe('customers, events and emails', () => {
  it('counts anonymous visitors apart from customers, and every recorded event and stage change', () => {
    expect(report.customers).toBe(6);
    expect(report.anonymousVisitors).toBe(2);
    // events 3 + 4 + 5 + 6 + 5 + 4 + 2 + 2 = 31; stage changes 0 + 1 + 2 + 3 + 4 + 5 = 15
    expect(report.events).toEqual({ recorded: 31, stageChanges: 15 });
  });

  it('accounts for every email: sent, deferred, being sent, or skipped by reason', () => {
    expect(report.emails).toEqual({ sent: 3, deferred: 1, sending: 1, skipped: { 'no-consent': 2, 'too-old': 1 }, skippedTotal: 3 });
  });
});

describe('satisfaction', () => {
  const { overall, byWeek, byStage, byChannel } = report.satisfaction;

  it('gives the CSAT mean and the share of 4s and 5s', () => {
    // 5 4 2 3 5 → 19 / 5 = 3.8; rated 4–5: 5 4 5 → 3 / 5
    expect(overall.csat.responses).toBe(5);
    expect(overall.csat.average).toBeCloseTo(3.8);
    expect(overall.csat.satisfiedShare).toBeCloseTo(0.6);
  });

  it('gives NPS as % promoters minus % detractors', () => {
    // 10 9 3 9 7 0: promoters 10 9 9 (3), passive 7 (1), detractors 3 0 (2) → (3 − 2) / 6 × 100 = 16.7
    expect(overall.nps).toMatchObject({ responses: 6, promoters: 3, passives: 1, detractors: 2 });
    expect(overall.nps.score).toBeCloseTo(16.67, 2);
  });

  it('follows CSAT and NPS week by week, with the empty weeks in between', () => {
    expect(byWeek.map((week) => [week.week, week.weekStart])).toEqual([
      ['2025-W02', '2025-01-06'],
      ['2025-W03', '2025-01-13'],
      ['2025-W04', '2025-01-20'],
    ]);
    const [second, third, fourth] = byWeek;
    // W02 (including Sunday 23:59:59): CSAT 5 4 2 → 11 / 3 = 3.67, rated 4–5 2 / 3; NPS 10 9 3 → (2 − 1) / 3 = 33.3
    expect(second?.csat.average).toBeCloseTo(11 / 3);
    expect(second?.csat.satisfiedShare).toBeCloseTo(2 / 3);
    expect(second?.nps.score).toBeCloseTo(100 / 3);
    // W03: no answers
    expect(third?.csat).toEqual({ responses: 0, average: null, satisfiedShare: null });
    expect(third?.nps.score).toBeNull();
    // W04: CSAT 3 5 → 4, rated 4–5 1 / 2; NPS 9 7 0 → (1 − 1) / 3 = 0
    expect(fourth?.csat.average).toBe(4);
    expect(fourth?.csat.satisfiedShare).toBe(0.5);
    expect(fourth?.nps.score).toBe(0);
  });

  it('breaks answers down by stage, in stage order', () => {
    expect(byStage.map((row) => row.stage)).toEqual(['use', 'support', 'retain']);
    const [use, support, retain] = byStage;
    // use: CSAT 5 4 3 → 4, NPS 9 7 → (1 − 0) / 2 = 50
    expect(use?.csat.average).toBe(4);
    expect(use?.nps.score).toBe(50);
    // support: CSAT 2, NPS 3 0 → −100; retain: CSAT 5, NPS 10 9 → 100
    expect(support?.csat.satisfiedShare).toBe(0);
    expect(support?.nps.score).toBe(-100);
    expect(retain?.nps.score).toBe(100);
  });

  it('breaks answers down by channel, most answers first, the answers without a channel apart', () => {
    // email 5 answers, chat 3, "chat & phone" 2, none 1
    expect(byChannel.map((row) => row.channel)).toEqual(['email', 'chat', 'chat & phone', null]);
    // email: CSAT 5 4 5 → 14 / 3; NPS 10 9 → 100
    expect(byChannel[0]?.csat.average).toBeCloseTo(14 / 3);
    expect(byChannel[0]?.nps.score).toBe(100);
  });
});

describe('an empty report', () => {
  const empty = buildReport(emptyData);

  it('has zeros and nulls, never NaN', () => {
    expect(JSON.stringify(empty)).not.toMatch(/NaN|Infinity/);
    // JSON would turn NaN into null: look at the numbers themselves too.
    const numbers: number[] = [];
    JSON.stringify(empty, (_, value: unknown) => {
      if (typeof value === 'number') numbers.push(value);
      return value;
    });
    expect(numbers.every(Number.isFinite)).toBe(true);
    expect(empty.customers).toBe(0);
    expect(empty.funnel.stages.every((stage) => stage.reached === 0 && stage.conversion === null)).toBe(true);
    expect(empty.daysInStage.every((row) => row.medianDays === null)).toBe(true);
    expect(empty.journeys).toEqual({
      results: [],
      totals: { entered: 0, converted: 0, conversionRate: null, emails: { sent: 0, delivered: 0, opened: 0, clicked: 0, openRate: null, clickRate: null } },
    });
    expect(empty.emails).toEqual({ sent: 0, deferred: 0, sending: 0, skipped: {}, skippedTotal: 0 });
    expect(empty.support).toMatchObject({
      requests: 0,
      open: 0,
      automationRate: null,
      firstAnswer: { all: { answered: 0, p50: null, p90: null } },
      byChannel: [],
    });
    expect(empty.satisfaction).toEqual({
      overall: {
        csat: { responses: 0, average: null, satisfiedShare: null },
        nps: { responses: 0, promoters: 0, passives: 0, detractors: 0, score: null },
      },
      byWeek: [],
      byStage: [],
      byChannel: [],
    });
  });

  it('leaves out answers and times that are not numbers or dates', () => {
    const odd = buildReport({
      ...emptyData,
      surveys: [
        { kind: 'csat', score: Number.NaN, at: '2025-01-06T00:00:00Z', stage: 'use' },
        { kind: 'csat', score: 4, at: 'not a date', stage: 'use' },
      ],
      support: [{ requestedAt: '2025-01-06T00:00:00Z', channel: 'email', outcome: 'escalated', firstAnswerSeconds: Number.NaN }],
    });
    expect(odd.satisfaction.overall.csat).toEqual({ responses: 1, average: 4, satisfiedShare: 1 });
    expect(odd.satisfaction.byWeek).toEqual([]);
    expect(odd.support.firstAnswer.all).toEqual({ answered: 0, p50: null, p90: null });
  });
});
