/**
 * A dry run's answer to "which messages would this customer get?": the journey's steps walked for
 * one customer as they are now — branches decided on the profile, the split variant and the
 * holdout as this run would draw them — with the outcome of waiting for an event left open.
 */
import { evaluate } from '../conditions/condition.ts';
import type { Profile } from '../profile/profile.ts';
import { marketingPermission, type ConsentMode } from '../outreach/consent.ts';
import type { JourneyDefinition, Step } from './definition.ts';
import { bucket, chooseVariant } from './run.ts';

export interface PlannedMessage {
  readonly step: string;
  readonly template: string;
  readonly kind: 'transactional' | 'marketing';
  /** Why it may not go out, or under which condition it does. */
  readonly note?: string;
}

export function plannedMessages(journey: JourneyDefinition, profile: Profile, runId: string, consentMode: ConsentMode, now: number): PlannedMessage[] {
  const messages: PlannedMessage[] = [];
  let holdout = false;
  const walk = (steps: readonly Step[], condition?: string): void => {
    for (const each of steps) {
      if ('send' in each) {
        const { template, kind, topic } = each.send;
        const permission = kind === 'marketing' ? marketingPermission(profile.consent.email, topic ?? 'newsletter', consentMode) : { allowed: true as const };
        const note = holdout ? 'holdout: not sent' : !permission.allowed ? `skipped: ${permission.reason}` : condition;
        messages.push({ step: each.id, template, kind, ...(note && { note }) });
      } else if ('holdout' in each) {
        holdout = bucket(runId, each.id) < each.holdout.percent;
      } else if ('branch' in each) {
        walk(evaluate(each.branch.if, { profile, now, consentMode }) ? each.branch.then : (each.branch.else ?? []), condition);
      } else if ('split' in each) {
        const variant = chooseVariant(runId, each.id, each.split.variants);
        walk(each.split.variants.find((candidate) => candidate.name === variant)?.steps ?? [], condition);
      } else if ('waitForEvent' in each) {
        walk(each.waitForEvent.then ?? [], `if ${each.waitForEvent.event} comes`);
        walk(each.waitForEvent.else ?? [], `if no ${each.waitForEvent.event} within ${each.waitForEvent.timeout}`);
      }
    }
  };
  walk(journey.steps);
  return messages;
}
