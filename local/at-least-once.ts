/**
 * At-least-once delivery, made visible: AWS delivers rule targets, standard-queue messages,
 * schedule firings, SES events and bus entries at least once, so a consumer sees a message twice
 * now and then — rarely enough that a test in a clean cloud never meets it. With this mode on, the
 * local cloud delivers every such message a second time, the copy a while after the first, so that
 * it arrives out of order among later messages, within a bound.
 *
 * As with faults (faults.ts), the copy's delay is decided from the seed and the call itself — its
 * hop, what it names, its content, and how many times the same call was made before — never from
 * the order calls arrive in, which changes from run to run; so a run with the same seed delays the
 * same copies alike.
 */
import { createHash } from 'node:crypto';
import type { Clock } from './clock.ts';

/**
 * Where a copy is made: a rule's delivery to a target, a message on a standard queue, a schedule
 * firing its target, an event SES publishes, an entry put on a bus, a state machine's Lambda task.
 */
export type Hop = 'events.delivery' | 'events.put' | 'sqs' | 'scheduler' | 'ses.events' | 'states.task';

export interface AtLeastOnceOptions {
  /** The longest a copy comes after the first delivery, in virtual seconds. @default 60 */
  readonly maxDelaySeconds?: number;
}

/** One delivery that is copied. */
export interface CopiedCall {
  /** The names and ARNs it goes to. */
  readonly resources: readonly string[];
  /** What makes this delivery this delivery: its content (an event, a body, an input). */
  readonly content: string;
}

const digest = (text: string): Buffer => createHash('sha256').update(text).digest();

export const DEFAULT_MAX_DELAY_SECONDS = 60;

export class AtLeastOnce {
  private options: AtLeastOnceOptions | undefined;
  /** How often each call was seen, by its digest: a repeat gets a delay of its own. */
  private readonly seen = new Map<string, number>();
  /** Copies delivered so far, by hop. */
  readonly copies = new Map<Hop, number>();

  constructor(
    private readonly clock: Clock,
    private readonly seed = 1,
  ) {}

  /** Turns the mode on (with its options) or off (undefined). @throws RangeError on a negative delay */
  set(options: AtLeastOnceOptions | undefined): void {
    const max = options?.maxDelaySeconds ?? DEFAULT_MAX_DELAY_SECONDS;
    if (!(max >= 0)) throw new RangeError(`maxDelaySeconds must be 0 or more, got ${max}`);
    this.options = options && { maxDelaySeconds: max };
  }

  get on(): boolean {
    return this.options !== undefined;
  }

  /**
   * Delivers once more, later: calls `send` after a delay of 0 to the bound, on the virtual clock,
   * and counts the copy. Does nothing while the mode is off.
   */
  again(hop: Hop, call: CopiedCall, send: () => void): void {
    if (!this.options) return;
    const key = digest(`${hop}\u0000${call.resources.join('\u0000')}\u0000${call.content}`).toString('base64');
    const time = this.seen.get(key) ?? 0;
    this.seen.set(key, time + 1);
    const draw = digest(`${this.seed}\u0000${key}\u0000${time}`).readUInt32BE(0) / 4_294_967_296;
    const delay = Math.floor(draw * (this.options.maxDelaySeconds ?? DEFAULT_MAX_DELAY_SECONDS) * 1000);
    this.clock.at(this.clock.now() + delay, () => {
      this.copies.set(hop, (this.copies.get(hop) ?? 0) + 1);
      send();
    });
  }

  /**
   * A synchronous call made twice, as a caller retrying after a lost answer does: the first
   * answer (or error) is dropped and the second returned. Once, while the mode is off.
   */
  async twice<T>(hop: Hop, call: () => Promise<T>): Promise<T> {
    if (!this.options) return call();
    await call().catch(() => undefined);
    this.copies.set(hop, (this.copies.get(hop) ?? 0) + 1);
    return call();
  }
}
