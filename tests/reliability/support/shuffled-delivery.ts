/**
 * At-least-once, out-of-order delivery of one step's events, as a delivery plan for the shim
 * (delivery-shim.ts): every event goes `copies` times, and each customer's deliveries are dealt
 * out in a seeded random order over the places that customer's events held in the step.
 *
 * What "out of order" can mean here: every event keeps its `occurredAt` and still arrives in the
 * step it fell in — never before it happened, never a step late — so the clock-driven parts
 * (journey waits, notice freshness) see each event at the same virtual time as in an orderly run.
 * Only the order among one customer's events of the step changes, so an event can be applied
 * before an event that happened earlier, and a copy can come before, between or after the others.
 * Other customers' events keep their places: order across customers never mattered.
 */
import { Random } from '#cli/demo/random.ts';
import type { DeliveryPlan, HeldEntry } from './delivery-shim.ts';

/**
 * Whose events an entry is: the demo names each person's events `<prefix>-<n>`, whether they came
 * anonymously or signed in, so the person is the event id without its sequence number.
 */
export function personOf(entry: HeldEntry): string {
  try {
    const eventId = String((JSON.parse(entry.Detail) as { eventId?: unknown }).eventId ?? '');
    return eventId.replace(/-\d+$/, '');
  } catch {
    return entry.Detail;
  }
}

export interface ShuffleStats {
  /** Deliveries made. */
  readonly delivered: number;
  /** Deliveries that came before one of an event of the same person that happened earlier. */
  readonly overtaking: number;
}

const occurredAt = (entry: HeldEntry): number => {
  try {
    return Date.parse(String((JSON.parse(entry.Detail) as { occurredAt?: unknown }).occurredAt));
  } catch {
    return Number.NaN;
  }
};

/** Counts deliveries that came before an earlier-occurring event of the same person. */
function overtakingIn(entries: readonly HeldEntry[]): number {
  const latest = new Map<string, number>();
  let count = 0;
  for (const entry of entries) {
    const person = personOf(entry);
    const at = occurredAt(entry);
    const seen = latest.get(person);
    if (seen !== undefined && at < seen) count++;
    latest.set(person, Math.max(seen ?? at, at));
  }
  return count;
}

/**
 * @example
 * const plan = shuffledDelivery({ copies: 3, seed: 7 });
 * await startDeliveryShim(test, { plan });
 * // after the run: plan.stats() says how many deliveries overtook an earlier event
 */
export function shuffledDelivery(options: { readonly copies: number; readonly seed: number }): DeliveryPlan & { stats(): ShuffleStats } {
  const random = new Random(options.seed);
  let delivered = 0;
  let overtaking = 0;
  const plan = (held: readonly HeldEntry[]): HeldEntry[] => {
    // Each entry's places, `copies` in a row; then each person's deliveries are dealt over that person's places.
    const places = held.flatMap((entry) => Array.from({ length: options.copies }, () => personOf(entry)));
    const decks = new Map<string, HeldEntry[]>();
    for (const entry of held) {
      const deck = decks.get(personOf(entry)) ?? [];
      for (let copy = 0; copy < options.copies; copy++) deck.push(entry);
      decks.set(personOf(entry), deck);
    }
    for (const deck of decks.values()) {
      // Fisher–Yates, from the seeded source: the same seed deals the same way.
      for (let i = deck.length - 1; i > 0; i--) {
        const j = random.int(0, i);
        [deck[i], deck[j]] = [deck[j] as HeldEntry, deck[i] as HeldEntry];
      }
    }
    const dealt = places.map((person) => decks.get(person)?.shift() as HeldEntry);
    delivered += dealt.length;
    overtaking += overtakingIn(dealt);
    return dealt;
  };
  return Object.assign(plan, { stats: (): ShuffleStats => ({ delivered, overtaking }) });
}
