/**
 * EventBridge in the local cloud: buses and rules from the template, PutEvents with per-entry
 * errors, rules matched with the full event-pattern language, delivery to targets with the
 * target's input, retry policy (on the virtual clock) and dead-letter queue, scheduled rules, and
 * TestEventPattern, ListRules, DescribeRule, ListEventBuses, ListTargetsByRule.
 */
import { createHash } from 'node:crypto';
import type { ActivityLog } from '../activity-log.ts';
import type { AtLeastOnce } from '../at-least-once.ts';
import { AwsServiceError, unknownOperation, type JsonActionHandler } from '../aws-error.ts';
import type { Clock } from '../clock.ts';
import type { FaultInjector } from '../faults.ts';
import { compilePattern, InvalidEventPatternError, matchesPattern, type CompiledPattern } from './event-pattern.ts';
import { targetInput, type TargetInput } from './input-transform.ts';
import { parseSchedule } from './schedule.ts';
import type { UsageMeter } from '../usage-meter.ts';

export interface RuleTarget extends TargetInput {
  readonly Id: string;
  readonly Arn: string;
  readonly RoleArn?: string;
  readonly RetryPolicy?: { readonly MaximumRetryAttempts?: number; readonly MaximumEventAgeInSeconds?: number };
  readonly DeadLetterConfig?: { readonly Arn?: string };
  readonly SqsParameters?: { readonly MessageGroupId?: string };
}

export interface RuleSpec {
  readonly name: string;
  readonly arn: string;
  readonly busName: string;
  readonly eventPattern?: unknown;
  readonly scheduleExpression?: string;
  readonly state: 'ENABLED' | 'DISABLED';
  readonly description?: string;
  readonly targets: readonly RuleTarget[];
}

interface Rule {
  readonly spec: RuleSpec;
  readonly pattern?: CompiledPattern;
}

/** Sends a target its input; throws an AwsServiceError when the target cannot take it. */
export type Deliver = (arn: string, input: string, target: RuleTarget, event: Record<string, unknown>, rule: RuleSpec) => Promise<void>;

export interface EventBridgeDeps {
  readonly clock: Clock;
  readonly log: ActivityLog;
  readonly faults: FaultInjector;
  readonly region: string;
  readonly accountId: string;
  readonly deliver: Deliver;
  /** Parks an undeliverable event in a dead-letter queue. */
  readonly deadLetter: (queueArn: string, body: string, attributes: Record<string, string>) => void;
  /** Counts the entries put through the API (events AWS services publish are not billed). */
  readonly meter?: UsageMeter;
  /** Delivers each target and routes each entry a second time, when that mode is on. */
  readonly atLeastOnce?: AtLeastOnce;
}

const MAX_ENTRIES = 10;
const MAX_REQUEST_BYTES = 256 * 1024;
// EventBridge's defaults when a target sets no retry policy.
const DEFAULT_RETRY_ATTEMPTS = 185;
const DEFAULT_EVENT_AGE_SECONDS = 86_400;

/** EventBridge's `time`: ISO 8601 without milliseconds. */
const eventTime = (time: number): string => new Date(Math.floor(time / 1000) * 1000).toISOString().replace('.000Z', 'Z');

/**
 * An event id in UUID form, derived from what the event is and how many times the same was put
 * before: unique as AWS's are, and the same in two runs of the same workload, so that what depends
 * on it (the faults a delivery meets among them) does not change from run to run.
 */
function eventIdFor(content: string, nth: number): string {
  const hex = createHash('sha256').update(`${content}\u0000${nth}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

export class EventBridgeService {
  private readonly buses = new Map<string, { name: string; arn: string }>();
  private readonly rules = new Map<string, Rule>();
  private readonly cancelSchedules: (() => void)[] = [];
  /** PutEvents entries accepted, for the cost model. */
  entriesAccepted = 0;
  private deliveriesInFlight = 0;
  /** How many events of each content (by digest) were put, for their ids. */
  private readonly puts = new Map<string, number>();

  constructor(private readonly deps: EventBridgeDeps) {
    this.addBus('default');
  }

  private busArn(name: string): string {
    return `arn:aws:events:${this.deps.region}:${this.deps.accountId}:event-bus/${name}`;
  }

  addBus(name: string): void {
    this.buses.set(name, { name, arn: this.busArn(name) });
  }

  /** @throws InvalidEventPatternError when the rule's pattern is invalid */
  addRule(spec: RuleSpec): void {
    const pattern = spec.eventPattern === undefined ? undefined : compilePattern(spec.eventPattern);
    this.rules.set(`${spec.busName}/${spec.name}`, { spec, ...(pattern && { pattern }) });
    if (spec.scheduleExpression && spec.state === 'ENABLED') this.schedule(spec);
  }

  /** Delivery attempts running now (retries waiting on the clock are not counted). */
  get deliveriesRunning(): number {
    return this.deliveriesInFlight;
  }

  private schedule(spec: RuleSpec): void {
    const schedule = parseSchedule(spec.scheduleExpression ?? '', this.deps.clock.now());
    let cancel = () => {};
    const arm = (after: number) => {
      const next = schedule.next(after);
      if (next === undefined) return;
      cancel = this.deps.clock.at(next, () => {
        const event = {
          version: '0',
          id: eventIdFor(spec.arn, next),
          'detail-type': 'Scheduled Event',
          source: 'aws.events',
          account: this.deps.accountId,
          time: eventTime(next),
          region: this.deps.region,
          resources: [spec.arn],
          detail: {},
        };
        this.deps.log.record({ what: 'events.schedule', resource: spec.name, outcome: 'fired' });
        for (const target of spec.targets) this.deliver(spec, target, event);
        arm(next);
      });
    };
    arm(this.deps.clock.now());
    this.cancelSchedules.push(() => cancel());
  }

  private resolveBus(name: unknown): { name: string; arn: string } {
    const text = typeof name === 'string' && name.length > 0 ? name : 'default';
    const busName = text.startsWith('arn:') ? (text.split('/').pop() ?? text) : text;
    const bus = this.buses.get(busName);
    if (!bus) throw new AwsServiceError('ResourceNotFoundException', `Event bus ${busName} does not exist.`);
    return bus;
  }

  /** Puts events on a bus, as PutEvents does: each entry accepted or refused on its own. */
  putEvents(entries: readonly Record<string, unknown>[]): {
    FailedEntryCount: number;
    Entries: ({ EventId: string } | { ErrorCode: string; ErrorMessage: string })[];
  } {
    if (entries.length === 0 || entries.length > MAX_ENTRIES) {
      throw new AwsServiceError(
        'ValidationException',
        `1 validation error detected: Value at 'entries' failed to satisfy constraint: Member must have length between 1 and ${MAX_ENTRIES}`,
      );
    }
    const size = entries.reduce(
      (sum, entry) =>
        sum +
        Buffer.byteLength(String(entry.Detail ?? '')) +
        Buffer.byteLength(String(entry.Source ?? '')) +
        Buffer.byteLength(String(entry.DetailType ?? '')) +
        14,
      0,
    );
    if (size > MAX_REQUEST_BYTES)
      throw new AwsServiceError('ValidationException', `Total size of the entries in the request is over the limit (${MAX_REQUEST_BYTES} bytes).`);
    const results = entries.map((entry) => this.putEntry(entry));
    return { FailedEntryCount: results.filter((result) => 'ErrorCode' in result).length, Entries: results };
  }

  private putEntry(entry: Record<string, unknown>): { EventId: string } | { ErrorCode: string; ErrorMessage: string } {
    const { Source, DetailType, Detail } = entry;
    if (typeof Source !== 'string' || Source.length === 0)
      return { ErrorCode: 'InvalidArgument', ErrorMessage: 'Parameter Source is not valid. Reason: Source is a required argument.' };
    if (typeof DetailType !== 'string' || DetailType.length === 0)
      return { ErrorCode: 'InvalidArgument', ErrorMessage: 'Parameter DetailType is not valid. Reason: DetailType is a required argument.' };
    if (typeof Detail !== 'string')
      return { ErrorCode: 'InvalidArgument', ErrorMessage: 'Parameter Detail is not valid. Reason: Detail is a required argument.' };
    let detail: unknown;
    try {
      detail = JSON.parse(Detail);
    } catch {
      return { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' };
    }
    if (detail === null || typeof detail !== 'object' || Array.isArray(detail)) return { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' };
    let bus: { name: string; arn: string };
    try {
      bus = this.resolveBus(entry.EventBusName);
    } catch (error) {
      return { ErrorCode: 'NotFoundException', ErrorMessage: (error as Error).message };
    }
    const time = typeof entry.Time === 'number' ? entry.Time * 1000 : typeof entry.Time === 'string' ? Date.parse(entry.Time) : this.deps.clock.now();
    const content = createHash('sha256')
      .update(JSON.stringify([bus.name, Source, DetailType, Detail, entry.Resources ?? [], time]))
      .digest('base64');
    const seen = this.puts.get(content) ?? 0;
    this.puts.set(content, seen + 1);
    const event = {
      version: '0',
      id: eventIdFor(content, seen),
      'detail-type': DetailType,
      source: Source,
      account: this.deps.accountId,
      time: eventTime(Number.isNaN(time) ? this.deps.clock.now() : time),
      region: this.deps.region,
      resources: Array.isArray(entry.Resources) ? entry.Resources : [],
      detail,
    };
    this.entriesAccepted++;
    this.route(bus.name, event);
    return { EventId: event.id };
  }

  /** Sends an event to every enabled rule on the bus whose pattern matches. */
  route(busName: string, event: Record<string, unknown>): void {
    for (const rule of this.rules.values()) {
      const { spec, pattern } = rule;
      if (spec.busName !== busName || spec.state !== 'ENABLED' || !pattern) continue;
      if (!matchesPattern(pattern, event)) continue;
      for (const target of spec.targets) this.deliver(spec, target, event);
    }
  }

  /** Delivers to one target (and again later, when every delivery is made twice). */
  private deliver(rule: RuleSpec, target: RuleTarget, event: Record<string, unknown>): void {
    this.deliverOnce(rule, target, event);
    this.deps.atLeastOnce?.again('events.delivery', { resources: [target.Arn, rule.name], content: String(event.id) }, () =>
      this.deliverOnce(rule, target, event),
    );
  }

  /** Delivers to one target, retrying with back-off on the virtual clock, then dead-lettering. */
  private deliverOnce(rule: RuleSpec, target: RuleTarget, event: Record<string, unknown>): void {
    const maxAttempts = (target.RetryPolicy?.MaximumRetryAttempts ?? DEFAULT_RETRY_ATTEMPTS) + 1;
    const maxAgeMs = (target.RetryPolicy?.MaximumEventAgeInSeconds ?? DEFAULT_EVENT_AGE_SECONDS) * 1000;
    const firstAttemptAt = this.deps.clock.now();
    const input = targetInput(target, event, { ruleArn: rule.arn, ruleName: rule.name });
    const attempt = async (count: number): Promise<void> => {
      const started = performance.now();
      this.deliveriesInFlight++;
      try {
        const fault = this.deps.faults.check('events.delivery', { resources: [target.Arn, rule.name], content: String(event.id) });
        if (fault) throw new AwsServiceError(fault.error ?? 'ThrottlingException', 'fault injected by the local cloud');
        await this.deps.deliver(target.Arn, input, target, event, rule);
        this.deps.log.record({ what: 'events.delivery', resource: `${rule.name}/${target.Id}`, outcome: 'ok', durationMs: performance.now() - started });
      } catch (error) {
        const code = error instanceof AwsServiceError ? error.code : 'InternalException';
        const message = error instanceof Error ? error.message : String(error);
        // Exponential back-off with jitter, from one second, capped at five minutes.
        const delay = Math.min(300_000, 1000 * 2 ** (count - 1)) * (0.5 + Math.random() / 2);
        const ageExceeded = this.deps.clock.now() + delay - firstAttemptAt > maxAgeMs;
        if (count < maxAttempts && !ageExceeded) {
          this.deps.log.record({ what: 'events.delivery', resource: `${rule.name}/${target.Id}`, outcome: 'retrying', detail: code });
          this.deps.clock.at(this.deps.clock.now() + delay, () => void attempt(count + 1));
          return;
        }
        const dlq = target.DeadLetterConfig?.Arn;
        this.deps.log.record({ what: 'events.delivery', resource: `${rule.name}/${target.Id}`, outcome: dlq ? 'dead-lettered' : 'dropped', detail: code });
        if (dlq) {
          this.deps.deadLetter(dlq, JSON.stringify(event), {
            RULE_ARN: rule.arn,
            TARGET_ARN: target.Arn,
            ERROR_CODE: code,
            ERROR_MESSAGE: message.slice(0, 256),
            EXHAUSTED_RETRY_CONDITION: ageExceeded ? 'MaximumEventAgeInSeconds' : 'MaximumRetryAttempts',
            RETRY_ATTEMPTS: String(count - 1),
          });
        }
      } finally {
        this.deliveriesInFlight--;
      }
    };
    void attempt(1);
  }

  private findRule(name: unknown, busName: unknown): Rule {
    const bus = this.resolveBus(busName);
    const rule = this.rules.get(`${bus.name}/${String(name)}`);
    if (!rule) throw new AwsServiceError('ResourceNotFoundException', `Rule ${String(name)} does not exist on EventBus ${bus.name}.`);
    return rule;
  }

  private describeRule(rule: Rule) {
    const { spec } = rule;
    return {
      Name: spec.name,
      Arn: spec.arn,
      EventBusName: spec.busName,
      State: spec.state,
      ...(spec.eventPattern !== undefined && { EventPattern: JSON.stringify(spec.eventPattern) }),
      ...(spec.scheduleExpression && { ScheduleExpression: spec.scheduleExpression }),
      ...(spec.description && { Description: spec.description }),
    };
  }

  readonly handle: JsonActionHandler = async (action, input) => {
    switch (action) {
      case 'PutEvents': {
        const entries = (input.Entries as Record<string, unknown>[] | undefined) ?? [];
        const result = this.putEvents(entries);
        const accepted = entries.filter((_, n) => !('ErrorCode' in (result.Entries[n] ?? {})));
        this.deps.meter?.putEvents(accepted);
        // As a producer's retry after a lost answer does: each entry put again, taken as a new
        // event with an id of its own. (Events AWS services publish are copied where they are made.)
        for (const entry of accepted)
          this.deps.atLeastOnce?.again('events.put', { resources: [String(entry.EventBusName ?? 'default')], content: JSON.stringify(entry) }, () =>
            this.putEntry(entry),
          );
        return result;
      }
      case 'TestEventPattern': {
        let event: unknown;
        try {
          event = JSON.parse(String(input.Event));
        } catch {
          throw new AwsServiceError('InvalidEventPatternException', 'Event is not valid JSON.');
        }
        try {
          return { Result: matchesPattern(compilePattern(input.EventPattern), event) };
        } catch (error) {
          if (error instanceof InvalidEventPatternError) throw new AwsServiceError('InvalidEventPatternException', error.message);
          throw error;
        }
      }
      case 'ListRules': {
        const bus = this.resolveBus(input.EventBusName);
        const prefix = typeof input.NamePrefix === 'string' ? input.NamePrefix : '';
        const rules = [...this.rules.values()].filter((rule) => rule.spec.busName === bus.name && rule.spec.name.startsWith(prefix));
        return { Rules: rules.map((rule) => this.describeRule(rule)) };
      }
      case 'DescribeRule':
        return this.describeRule(this.findRule(input.Name, input.EventBusName));
      case 'ListTargetsByRule':
        return { Targets: this.findRule(input.Rule, input.EventBusName).spec.targets };
      case 'ListEventBuses': {
        const prefix = typeof input.NamePrefix === 'string' ? input.NamePrefix : '';
        return { EventBuses: [...this.buses.values()].filter((bus) => bus.name.startsWith(prefix)).map((bus) => ({ Name: bus.name, Arn: bus.arn })) };
      }
      case 'DescribeEventBus': {
        const bus = this.resolveBus(input.Name);
        return { Name: bus.name, Arn: bus.arn };
      }
      default:
        throw unknownOperation('EventBridge', action);
    }
  };

  close(): void {
    for (const cancel of this.cancelSchedules.splice(0)) cancel();
  }
}
