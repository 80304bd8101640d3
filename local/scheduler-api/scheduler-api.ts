/**
 * The EventBridge Scheduler API in the local cloud, for schedules a stack's functions create at
 * run time (say, to send an email once the recipient's quiet hours are over). It speaks
 * Scheduler's REST-JSON protocol under `/schedules`:
 *
 *   POST /schedules/{Name}  CreateSchedule      GET    /schedules/{Name}?groupName=  GetSchedule
 *   PUT  /schedules/{Name}  UpdateSchedule      DELETE /schedules/{Name}?groupName=  DeleteSchedule
 *   GET  /schedules?ScheduleGroup=&NamePrefix=&State=&MaxResults=&NextToken=  ListSchedules
 *
 * Schedules fire on the virtual clock, in their time zone; a one-time schedule with
 * ActionAfterCompletion DELETE is deleted once its invocation is done. Schedule groups are not
 * modelled: any group name is accepted, `default` when none is given.
 */
import { randomUUID } from 'node:crypto';
import type { ActivityLog } from '../activity-log.ts';
import type { AtLeastOnce } from '../at-least-once.ts';
import { AwsServiceError } from '../aws-error.ts';
import type { Clock } from '../clock.ts';
import { invoke, type SendToTarget } from './invocation.ts';
import { AT_GRACE_MS, readScheduleRequest, type ScheduleDefinition } from './schedule-request.ts';
import type { UsageMeter } from '../usage-meter.ts';

export interface SchedulerApiDeps {
  readonly clock: Clock;
  readonly log: ActivityLog;
  readonly region: string;
  readonly accountId: string;
  /**
   * Sends the target its input when a schedule fires. A dead-letter queue gets the input that
   * failed, with the failure (ERROR_CODE, ERROR_MESSAGE, EXHAUSTED_RETRY_CONDITION, RETRY_ATTEMPTS,
   * SCHEDULE_ARN, TARGET_ARN) in `attributes`, to send as SQS message attributes.
   */
  readonly send: SendToTarget;
  /** Counts invocations, which Scheduler bills. */
  readonly meter?: UsageMeter;
  /** Invokes each firing's target a second time, when that mode is on. */
  readonly atLeastOnce?: AtLeastOnce;
}

export interface SchedulerResponse {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: string;
}

interface StoredSchedule {
  readonly definition: ScheduleDefinition;
  readonly arn: string;
  readonly creationDate: number;
  readonly lastModificationDate: number;
  nextFire?: number;
  cancelTimer: () => void;
  /** Invocations still running or waiting to retry. */
  readonly invocations: Set<() => void>;
}

/** Scheduler's error codes and their HTTP statuses. */
const STATUS: Record<string, number> = { ValidationException: 400, ResourceNotFoundException: 404, ConflictException: 409, InternalServerException: 500 };

const seconds = (ms: number): number => ms / 1000;

export class SchedulerApi {
  /** By `group/name`. */
  private readonly schedules = new Map<string, StoredSchedule>();

  constructor(private readonly deps: SchedulerApiDeps) {}

  /** Handles a REST request under /schedules; returns status, headers and a JSON body (AWS error shape on errors). */
  async handle(request: { method: string; url: string; body: Buffer }): Promise<SchedulerResponse> {
    try {
      return this.respond(200, this.route(request));
    } catch (error) {
      const known = error instanceof AwsServiceError;
      const code = known ? error.code : 'InternalServerException';
      const message = error instanceof Error ? error.message : String(error);
      return this.respond(known ? (STATUS[code] ?? error.statusCode) : 500, { Message: message }, code);
    }
  }

  /** Schedules waiting to fire, for tests and operators. */
  list(): { name: string; groupName: string; expression: string; nextFire?: number }[] {
    return [...this.schedules.values()].map(({ definition, nextFire }) => ({
      name: definition.name,
      groupName: definition.groupName,
      expression: definition.expression,
      ...(nextFire !== undefined && { nextFire }),
    }));
  }

  close(): void {
    for (const schedule of this.schedules.values()) this.stop(schedule);
    this.schedules.clear();
  }

  private respond(status: number, body: unknown, errorType?: string): SchedulerResponse {
    return {
      status,
      headers: { 'content-type': 'application/json', 'x-amzn-requestid': randomUUID(), ...(errorType && { 'x-amzn-errortype': errorType }) },
      body: JSON.stringify(body),
    };
  }

  private route(request: { method: string; url: string; body: Buffer }): unknown {
    const url = new URL(request.url, 'http://localhost');
    const match = /^\/schedules(?:\/([^/]+))?\/?$/.exec(url.pathname);
    if (!match) throw new AwsServiceError('UnknownOperationException', `Scheduler has no operation at ${request.method} ${url.pathname}`, 404);
    const name = match[1] === undefined ? undefined : decodeURIComponent(match[1]);
    const method = request.method.toUpperCase();
    if (name === undefined) {
      if (method === 'GET') return this.listSchedules(url.searchParams);
    } else {
      const group = url.searchParams.get('groupName') ?? 'default';
      switch (method) {
        case 'POST':
          return this.create(name, this.body(request.body));
        case 'PUT':
          return this.update(name, this.body(request.body));
        case 'GET':
          return this.describe(this.find(group, name));
        case 'DELETE':
          this.remove(this.find(group, name), 'deleted');
          return {};
      }
    }
    throw new AwsServiceError('UnknownOperationException', `Scheduler has no operation at ${request.method} ${url.pathname}`, 404);
  }

  private body(raw: Buffer): Record<string, unknown> {
    if (raw.length === 0) return {};
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw.toString('utf8'));
    } catch {
      throw new AwsServiceError('ValidationException', 'The request body is not valid JSON.');
    }
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed))
      throw new AwsServiceError('ValidationException', 'The request body must be a JSON object.');
    return parsed as Record<string, unknown>;
  }

  private key = (group: string, name: string): string => `${group}/${name}`;

  private find(group: string, name: string): StoredSchedule {
    const schedule = this.schedules.get(this.key(group, name));
    if (!schedule) throw new AwsServiceError('ResourceNotFoundException', `Schedule ${name} does not exist.`);
    return schedule;
  }

  private create(name: string, body: Record<string, unknown>): { ScheduleArn: string } {
    const definition = readScheduleRequest(name, body, this.deps.clock.now());
    const existing = this.schedules.get(this.key(definition.groupName, name));
    if (existing) {
      // A retried request (same client token) gets the same answer; anything else is a conflict.
      if (definition.clientToken !== undefined && existing.definition.clientToken === definition.clientToken) return { ScheduleArn: existing.arn };
      throw new AwsServiceError('ConflictException', `Schedule ${name} already exists.`);
    }
    const now = this.deps.clock.now();
    const schedule = this.store(definition, now, now);
    this.deps.log.record({ what: 'scheduler.schedule', resource: this.key(definition.groupName, name), outcome: 'created' });
    return { ScheduleArn: schedule.arn };
  }

  /** UpdateSchedule replaces the whole definition; what the request leaves out goes back to its default. */
  private update(name: string, body: Record<string, unknown>): { ScheduleArn: string } {
    const definition = readScheduleRequest(name, body, this.deps.clock.now());
    const existing = this.find(definition.groupName, name);
    this.stop(existing);
    const schedule = this.store(definition, existing.creationDate, this.deps.clock.now());
    this.deps.log.record({ what: 'scheduler.schedule', resource: this.key(definition.groupName, name), outcome: 'updated' });
    return { ScheduleArn: schedule.arn };
  }

  private store(definition: ScheduleDefinition, creationDate: number, lastModificationDate: number): StoredSchedule {
    const { region, accountId } = this.deps;
    const schedule: StoredSchedule = {
      definition,
      arn: `arn:aws:scheduler:${region}:${accountId}:schedule/${definition.groupName}/${definition.name}`,
      creationDate,
      lastModificationDate,
      cancelTimer: () => {},
      invocations: new Set(),
    };
    this.schedules.set(this.key(definition.groupName, definition.name), schedule);
    // A one-time schedule a moment in the past still fires, at once.
    if (definition.state === 'ENABLED') this.arm(schedule, this.deps.clock.now() - (definition.oneTime ? AT_GRACE_MS : 0));
    return schedule;
  }

  /** Sets the timer for the next firing after `after`, within the start and end dates. */
  private arm(schedule: StoredSchedule, after: number): void {
    const { definition } = schedule;
    const from = definition.oneTime || definition.startDate === undefined ? after : Math.max(after, definition.startDate - 1);
    const next = definition.schedule.next(from);
    if (next === undefined || (!definition.oneTime && definition.endDate !== undefined && next > definition.endDate)) {
      schedule.nextFire = undefined;
      return;
    }
    schedule.nextFire = next;
    schedule.cancelTimer = this.deps.clock.at(next, () => this.fire(schedule, next));
  }

  private fire(schedule: StoredSchedule, time: number): void {
    const { definition } = schedule;
    const resource = this.key(definition.groupName, definition.name);
    this.deps.log.record({ what: 'scheduler.fire', resource, outcome: 'fired' });
    this.deps.meter?.schedulerInvocation();
    this.arm(schedule, time);
    const firing = { resource, scheduleArn: schedule.arn, target: definition.target, scheduledTime: time };
    const invocation = invoke(this.deps, firing);
    // Scheduler invokes a target at least once: the copy runs whatever becomes of the schedule.
    this.deps.atLeastOnce?.again('scheduler', { resources: [schedule.arn], content: String(time) }, () => void invoke(this.deps, firing).done);
    schedule.invocations.add(invocation.cancel);
    void invocation.done.then(() => {
      schedule.invocations.delete(invocation.cancel);
      const completed = schedule.nextFire === undefined && schedule.invocations.size === 0;
      // Only if this is still the schedule by that name (not deleted or replaced meanwhile).
      if (completed && definition.actionAfterCompletion === 'DELETE' && this.schedules.get(resource) === schedule) this.remove(schedule, 'completed');
    });
  }

  private stop(schedule: StoredSchedule): void {
    schedule.cancelTimer();
    schedule.nextFire = undefined;
    for (const cancel of [...schedule.invocations]) cancel();
  }

  private remove(schedule: StoredSchedule, outcome: 'deleted' | 'completed'): void {
    this.stop(schedule);
    const resource = this.key(schedule.definition.groupName, schedule.definition.name);
    this.schedules.delete(resource);
    this.deps.log.record({ what: 'scheduler.schedule', resource, outcome: outcome === 'completed' ? 'deleted after completion' : 'deleted' });
  }

  private describe(schedule: StoredSchedule) {
    const { definition: d } = schedule;
    return {
      Arn: schedule.arn,
      GroupName: d.groupName,
      Name: d.name,
      ScheduleExpression: d.expression,
      ...(d.timezone !== undefined && { ScheduleExpressionTimezone: d.timezone }),
      ...(d.description !== undefined && { Description: d.description }),
      ...(d.startDate !== undefined && { StartDate: seconds(d.startDate) }),
      ...(d.endDate !== undefined && { EndDate: seconds(d.endDate) }),
      State: d.state,
      CreationDate: seconds(schedule.creationDate),
      LastModificationDate: seconds(schedule.lastModificationDate),
      ...(d.kmsKeyArn !== undefined && { KmsKeyArn: d.kmsKeyArn }),
      Target: d.target,
      FlexibleTimeWindow: d.flexibleTimeWindow,
      ActionAfterCompletion: d.actionAfterCompletion,
    };
  }

  private listSchedules(query: URLSearchParams) {
    const group = query.get('ScheduleGroup');
    const prefix = query.get('NamePrefix') ?? '';
    const state = query.get('State');
    const all = [...this.schedules.values()]
      .filter(({ definition: d }) => (!group || d.groupName === group) && d.name.startsWith(prefix) && (!state || d.state === state))
      .sort((a, b) => a.arn.localeCompare(b.arn));
    const start = Number(query.get('NextToken') ?? 0);
    const size = Number(query.get('MaxResults') ?? 100);
    return {
      Schedules: all.slice(start, start + size).map((schedule) => ({
        Arn: schedule.arn,
        Name: schedule.definition.name,
        GroupName: schedule.definition.groupName,
        State: schedule.definition.state,
        CreationDate: seconds(schedule.creationDate),
        LastModificationDate: seconds(schedule.lastModificationDate),
        Target: { Arn: schedule.definition.target.Arn },
      })),
      ...(start + size < all.length && { NextToken: String(start + size) }),
    };
  }
}
