/**
 * The daily run of the retain stage's scoring: reads every profile (a parallel scan), works out
 * what changed (retain-scores.ts), and records each change as a `profile.updated` event from
 * `lifecycle`, so that it is applied like any other event and lands on the timeline. Event ids
 * name the customer and the day: a run repeated the same day changes nothing twice.
 */
import type { Profile } from '../profile/profile.ts';
import type { StoreDeps } from '../profile/store.ts';
import { scanProfilePages } from '../segments/profile-reads.ts';
import { SCAN_SEGMENTS } from '../segments/plan.ts';
import { retainChanges, type RetainChange } from './retain-scores.ts';

export interface ScoringDeps extends StoreDeps {
  readonly now: Date;
  /** Puts `profile.updated` events on the bus (batched by the caller). */
  readonly emit: (
    events: readonly { readonly eventId: string; readonly customerId: string; readonly attributes: RetainChange['attributes'] }[],
  ) => Promise<void>;
}

export interface ScoringReport {
  readonly customers: number;
  readonly changed: number;
}

export async function runDailyScoring(deps: ScoringDeps): Promise<ScoringReport> {
  const profiles: Profile[] = [];
  for await (const page of scanProfilePages(deps, SCAN_SEGMENTS))
    profiles.push(...page.filter((profile) => profile.identified && profile.mergedInto === undefined));
  const changes = retainChanges(profiles, deps.now);
  const day = deps.now.toISOString().slice(0, 10);
  await deps.emit(changes.map((change) => ({ eventId: `retain-${day}-${change.customerId}`, customerId: change.customerId, attributes: change.attributes })));
  return { customers: profiles.length, changed: changes.length };
}
