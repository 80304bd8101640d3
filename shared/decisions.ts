/**
 * Decisions not to act, counted. Events come at least once, bad input is refused, people opt out,
 * wake-ups go stale: the system often decides to do nothing, and no such decision may pass in
 * silence. Each one is a CloudWatch metric — `NotActed` in the stack's namespace, with the
 * dimensions `service` (the function), `decision` (what was not done) and `reason` — written in
 * the embedded metric format, so CloudWatch counts it from the log line with no metric filter,
 * and the operations dashboard shows it by reason. Reasons are short fixed words, never text from
 * the event (a dimension value is a time series of its own, and must not carry personal data).
 *
 * Where the system decides to do nothing, and how each is counted:
 *
 *   | where            | decision         | reasons                                                 | also counted as |
 *   |------------------|------------------|---------------------------------------------------------|-----------------|
 *   | record-event     | not-recorded     | invalid-event, timing, customer-erased, duplicate       | rejected events in the dead-letter queue |
 *   | send-outreach    | not-sent         | invalid-request, duplicate, deferred-quiet-hours, each skip reason (no-consent, suppressed, capped, …) | `outreach.skipped` event |
 *   | email-feedback   | not-applied      | not-ours, repeat, not-tracked                           |  |
 *   | journey-runtime  | not-moved        | stale (a wake-up for a step the participant has left)   | journey metric `wake.stale` |
 *   | journey-trigger  | not-entered      | each trigger-gate refusal (invalid-trigger, erased, profile-filter, same-trigger, already-active, reentry-never, cooling-down) | journey metric `notEntered.*` |
 *   | journey-launcher, api | not-entered | a launch's already-started and ineligible customers (not for a dry run) | the launch report |
 *   | api              | not-changed      | http-400 (malformed), http-404 (no such route, journey or segment) |  |
 *   | learn-products   | not-learnt       | invalid-event, timing                                   |  |
 *   | unsubscribe      | not-changed      | http-400 (not a request), http-403 (a forged or expired link), http-405 |  |
 *
 * Late support requests are not among them: they are handled (escalated with their age, and
 * acknowledged). Events no rule takes go to the unrouted-events queue; failed deliveries to
 * dead-letter queues — both counted by their queue depth, with alarms.
 */
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';

export const NOT_ACTED_METRIC = 'NotActed';

/** The namespace of a deployment's own metrics: one per stack, so two deployments in an account never mix. */
export const metricsNamespace = (stackName: string): string => `CustomerLifecycle/${stackName}`;

export type Decision = 'not-recorded' | 'not-sent' | 'not-applied' | 'not-moved' | 'not-entered' | 'not-learnt' | 'not-changed';

/** Reasons are short words: letters, digits and dashes. */
const REASON = /^[a-z0-9][a-z0-9.-]{0,62}$/;

// Made on first use: the CDK app imports the names above without writing metrics. The stack names
// the namespace (POWERTOOLS_METRICS_NAMESPACE); outside a stack, a namespace of its own.
let metrics: Metrics | undefined;

/**
 * Counts `times` decisions not to act, of one kind and reason (one metric line, written at once).
 * @throws RangeError when the reason is not a short word (it would be a time series per value)
 */
export function countNotActed(decision: Decision, reason: string, times = 1): void {
  if (!REASON.test(reason)) throw new RangeError(`a reason is a short word (letters, digits, dashes): got ${JSON.stringify(reason.slice(0, 40))}`);
  if (times <= 0) return;
  metrics ??= new Metrics({ namespace: process.env.POWERTOOLS_METRICS_NAMESPACE ?? metricsNamespace('local') });
  const metric = metrics.singleMetric();
  metric.addDimension('decision', decision);
  metric.addDimension('reason', reason);
  metric.addMetric(NOT_ACTED_METRIC, MetricUnit.Count, times);
}
