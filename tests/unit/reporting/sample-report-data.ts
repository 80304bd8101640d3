/**
 * Report data small enough to check by hand, for the reporting tests: six customers and two
 * anonymous visitors, two journeys, seven support requests, eight emails and a dozen survey answers
 * over two weeks (and a gap week).
 */
import type { JourneyStats } from '#shared/journeys/metrics.ts';
import type { CustomerFacts, MessageFacts, ProfileActivity, ReportData, SupportRequestFacts, SurveyFacts } from '#shared/reporting/report-data.ts';

export const customers: CustomerFacts[] = [
  { stage: 'discover', stagesReached: ['discover'], daysInStage: { discover: 2 }, channel: 'search' },
  { stage: 'research', stagesReached: ['discover', 'research'], daysInStage: { discover: 1, research: 4 }, channel: 'search' },
  { stage: 'buy', stagesReached: ['discover', 'research', 'buy'], daysInStage: { discover: 3, research: 2, buy: 1 }, channel: 'ads' },
  { stage: 'use', stagesReached: ['discover', 'research', 'buy', 'use'], daysInStage: { discover: 5, research: 1, buy: 2, use: 10 } },
  {
    stage: 'support',
    stagesReached: ['discover', 'research', 'buy', 'use', 'support'],
    daysInStage: { discover: 4, research: 3, buy: 1, use: 20, support: 1 },
  },
  {
    stage: 'retain',
    stagesReached: ['discover', 'research', 'buy', 'use', 'support', 'retain'],
    daysInStage: { discover: 6, research: 5, buy: 3, use: 30, support: 2, retain: 40 },
  },
];

export function journeyStats(journey: string, overrides: Partial<JourneyStats> = {}): JourneyStats {
  return {
    journey,
    version: 1,
    entered: 0,
    active: 0,
    completed: 0,
    converted: 0,
    left: 0,
    failed: 0,
    measuresLift: true,
    holdout: { entered: 0, converted: 0, rate: 0 },
    treatment: { entered: 0, converted: 0, rate: 0 },
    variants: {},
    notEntered: {},
    reached: {},
    messages: {},
    ...overrides,
  };
}

export const journeys: JourneyStats[] = [
  journeyStats('welcome', {
    entered: 100,
    active: 10,
    completed: 60,
    converted: 24,
    holdout: { entered: 20, converted: 2, rate: 0.1 },
    treatment: { entered: 80, converted: 22, rate: 0.275 },
    lift: 1.75,
    messages: {
      'welcome-1': { sent: 80, delivered: 78, opened: 40, clicked: 10, deferred: 3, skipped: { 'no-consent': 2 } },
      'tips-2': { sent: 70, delivered: 70, opened: 30, clicked: 5, deferred: 0, skipped: {} },
    },
  }),
  journeyStats('cart-recovery', {
    version: 2,
    entered: 10,
    converted: 3,
    // No holdout step: every run is treated.
    measuresLift: false,
    treatment: { entered: 10, converted: 3, rate: 0.3 },
    messages: { reminder: { sent: 10, delivered: 10, opened: 6, clicked: 3, deferred: 0, skipped: {} } },
  }),
];

export const support: SupportRequestFacts[] = [
  { requestedAt: '2025-01-06T10:00:00Z', channel: 'email', outcome: 'auto-answered', firstAnswerSeconds: 10 },
  { requestedAt: '2025-01-06T11:00:00Z', channel: 'email', outcome: 'auto-answered', firstAnswerSeconds: 20 },
  { requestedAt: '2025-01-07T09:00:00Z', channel: 'chat', outcome: 'auto-answered', firstAnswerSeconds: 30 },
  { requestedAt: '2025-01-07T10:00:00Z', channel: 'chat', outcome: 'escalated', firstAnswerSeconds: 3600 },
  { requestedAt: '2025-01-08T10:00:00Z', channel: 'email', outcome: 'escalated', firstAnswerSeconds: 7200 },
  // Escalated and not answered yet: open.
  { requestedAt: '2025-01-09T10:00:00Z', channel: 'email', outcome: 'escalated' },
  // An old ticket imported a week late: acted on no further.
];

/** Six customers and two anonymous visitors: 31 events, 15 stage changes. */
export const profiles: ProfileActivity[] = [
  ...[3, 4, 5, 6, 5, 4].map((businessEvents, index) => ({ identified: true, businessEvents, stageChanges: index })),
  { identified: false, businessEvents: 2, stageChanges: 0 },
  { identified: false, businessEvents: 2, stageChanges: 0 },
];

export const messages: MessageFacts[] = [
  { status: 'sent' },
  { status: 'sent' },
  { status: 'sent' },
  { status: 'deferred' },
  { status: 'skipped', reason: 'no-consent' },
  { status: 'skipped', reason: 'no-consent' },
  { status: 'skipped', reason: 'too-old' },
  { status: 'sending' },
];

export const surveys: SurveyFacts[] = [
  // 2025-W02 (Monday 2025-01-06): CSAT 5, 4, 2; NPS 10, 9, 3.
  { kind: 'csat', score: 5, at: '2025-01-06T12:00:00Z', stage: 'use', channel: 'email' },
  { kind: 'csat', score: 4, at: '2025-01-08T12:00:00Z', stage: 'use', channel: 'email' },
  { kind: 'csat', score: 2, at: '2025-01-12T23:59:59Z', stage: 'support', channel: 'chat' },
  { kind: 'nps', score: 10, at: '2025-01-07T12:00:00Z', stage: 'retain', channel: 'email' },
  { kind: 'nps', score: 9, at: '2025-01-07T13:00:00Z', stage: 'retain' },
  { kind: 'nps', score: 3, at: '2025-01-09T12:00:00Z', stage: 'support', channel: 'chat' },
  // 2025-W03: nothing.
  // 2025-W04 (Monday 2025-01-20): CSAT 3, 5; NPS 9, 7, 0.
  { kind: 'csat', score: 3, at: '2025-01-20T00:00:00Z', stage: 'use', channel: 'chat & phone' },
  { kind: 'csat', score: 5, at: '2025-01-24T12:00:00Z', stage: 'retain', channel: 'email' },
  { kind: 'nps', score: 9, at: '2025-01-21T12:00:00Z', stage: 'use', channel: 'email' },
  { kind: 'nps', score: 7, at: '2025-01-22T12:00:00Z', stage: 'use', channel: 'chat & phone' },
  { kind: 'nps', score: 0, at: '2025-01-26T12:00:00Z', stage: 'support', channel: 'chat' },
];

export const sampleData: ReportData = {
  generatedAt: '2025-01-27T09:30:00.000Z',
  source: 'stack Lifecycle-prod',
  customers,
  profiles,
  messages,
  journeys,
  support,
  surveys,
};

export const emptyData: ReportData = {
  generatedAt: '2025-01-27T09:30:00.000Z',
  source: 'local cloud at http://127.0.0.1:4566',
  customers: [],
  profiles: [],
  messages: [],
  journeys: [],
  support: [],
  surveys: [],
};
