/**
 * Fault injection: the local cloud can make chosen operations fail at a chosen rate (a throttled
 * SES, a throttled DynamoDB, a Lambda error or timeout, an undeliverable target), so that retries,
 * dead-letter queues and redrives are exercised.
 *
 * A run with the same seed fails the same calls. Whether a call fails is decided from the seed and
 * the call itself — its point, what it names, its content, and how many times that same call was
 * made before — never from its place in the order calls arrive in. Calls interleave differently
 * from run to run (functions run in worker threads, their SDK calls cross HTTP, back-offs sleep a
 * random while), so a decision taken from one shared sequence of numbers would fall on a different
 * call each run; a retry of a call gets a decision of its own through the count.
 */
import { createHash } from 'node:crypto';

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

/** One call a fault may hit. */
export interface FaultCall {
  /** The names and ARNs a rule's `resource` is matched against. */
  readonly resources: readonly string[];
  /** What makes this call this call: its content (a payload, a request body, an event). */
  readonly content: string;
}

const digest = (text: string): Buffer => createHash('sha256').update(text).digest();

export class FaultInjector {
  private rules: FaultRule[] = [];
  private seed: number;
  /** How often each call was seen, by its digest: a retry is decided anew. */
  private readonly seen = new Map<string, number>();
  /** How many faults were injected, by point. */
  readonly injected = new Map<FaultPoint, number>();

  constructor(seed = 1) {
    this.seed = seed;
  }

  set(rules: readonly FaultRule[], seed?: number): void {
    for (const rule of rules) {
      if (!(rule.rate >= 0 && rule.rate <= 1)) throw new RangeError(`fault rate must be 0 to 1, got ${rule.rate}`);
    }
    this.rules = [...rules];
    if (seed !== undefined) this.seed = seed;
  }

  get active(): readonly FaultRule[] {
    return this.rules;
  }

  /** The rule that makes this call fail, if any. */
  check(point: FaultPoint, call: FaultCall): FaultRule | undefined {
    const rule = this.rules.find(
      (candidate) => candidate.point === point && (!candidate.resource || call.resources.some((r) => r.includes(candidate.resource ?? ''))),
    );
    if (!rule) return undefined;
    const key = digest(`${point}\u0000${call.resources.join('\u0000')}\u0000${call.content}`).toString('base64');
    const time = this.seen.get(key) ?? 0;
    this.seen.set(key, time + 1);
    // A number in [0, 1) that depends only on the seed, the call and how often it was made.
    const draw = digest(`${this.seed}\u0000${key}\u0000${time}`).readUInt32BE(0) / 4_294_967_296;
    if (draw >= rule.rate) return undefined;
    this.injected.set(point, (this.injected.get(point) ?? 0) + 1);
    return rule;
  }
}
