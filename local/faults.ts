/**
 * Fault injection: the local cloud can make chosen operations fail at a chosen rate (a throttled
 * SES, a throttled DynamoDB, a Lambda error or timeout, an undeliverable target), so that retries,
 * dead-letter queues and redrives are exercised. Decisions come from a seeded generator, so a run
 * with the same seed fails the same way.
 */

export type FaultPoint = 'lambda' | 'lambda.timeout' | 'events.delivery' | 'dynamodb' | 'ses';

export interface FaultRule {
  readonly point: FaultPoint;
  /** Only resources whose name or ARN contains this; every resource when absent. */
  readonly resource?: string;
  /** The share of calls that fail, 0 to 1. */
  readonly rate: number;
  /** The error code to fail with; each point has a sensible default. */
  readonly error?: string;
}

/** mulberry32: small, fast, good enough to spread faults evenly. */
function generator(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

export class FaultInjector {
  private rules: FaultRule[] = [];
  private random: () => number;
  /** How many faults were injected, by point. */
  readonly injected = new Map<FaultPoint, number>();

  constructor(seed = 1) {
    this.random = generator(seed);
  }

  set(rules: readonly FaultRule[], seed?: number): void {
    for (const rule of rules) {
      if (!(rule.rate >= 0 && rule.rate <= 1)) throw new RangeError(`fault rate must be 0 to 1, got ${rule.rate}`);
    }
    this.rules = [...rules];
    if (seed !== undefined) this.random = generator(seed);
  }

  get active(): readonly FaultRule[] {
    return this.rules;
  }

  /** The rule that makes this call fail, if any. */
  check(point: FaultPoint, ...resource: readonly string[]): FaultRule | undefined {
    const rule = this.rules.find((candidate) => candidate.point === point && (!candidate.resource || resource.some((r) => r.includes(candidate.resource ?? ''))));
    if (!rule || this.random() >= rule.rate) return undefined;
    this.injected.set(point, (this.injected.get(point) ?? 0) + 1);
    return rule;
  }
}
