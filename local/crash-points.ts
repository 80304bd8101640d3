/**
 * Crash points: an invocation of a function that dies right after one of its effects. A Lambda
 * invocation can end at any instant — the process is killed, the sandbox runs out of time — and
 * what it already wrote stays written while the rest of its work never happens; the platform then
 * retries it (an asynchronous invocation's retries, a queue message coming back after its
 * visibility timeout, a state machine's Retry). The instants that matter are those between two
 * effects another party can see: each write to DynamoDB, each message sent to a queue, each event
 * put on a bus, each email SES accepts, each call to Scheduler.
 *
 * Every AWS call a function makes reaches the local cloud's endpoint carrying the invocation it
 * belongs to (the sandbox tags it, see function-worker.mjs). The endpoint asks this plan, once a
 * call has been applied, whether the invocation ends there: `crash` fails the invocation at once
 * with a runtime crash; `stall` hangs it until the timeout the function is configured with (never
 * stretched) ends it. Either way the answer is not the call's, and nothing the invocation asks for
 * afterwards is applied: it is dead, whatever its code goes on doing in the sandbox.
 *
 * The plan also counts the effects of every invocation, so a clean run tells which crash points
 * there are to try.
 */
import { createHash } from 'node:crypto';

/** The header the sandbox puts the invocation on: `<function name>/<request id>`. */
export const INVOCATION_HEADER = 'x-local-invocation';

export type CrashMode = 'crash' | 'stall';

export interface CrashRule {
  /** Functions whose name contains this. */
  readonly function: string;
  /** The invocation ends right after its k-th effect (from 1). */
  readonly afterEffect: number;
  /** @default 'crash' */
  readonly mode?: CrashMode;
}

/** A crash point that was met: which function, which invocation, after which effect. */
export interface InjectedCrash {
  readonly function: string;
  readonly invocation: string;
  readonly afterEffect: number;
  readonly mode: CrashMode;
  /** The effect it followed, e.g. `DynamoDB UpdateItem`. */
  readonly effect: string;
}

/** What the endpoint knows of a request: enough to tell whether it changes anything. */
export interface EffectRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
}

/** JSON-protocol actions that change what others see, by X-Amz-Target prefix. */
const EFFECTS: Readonly<Record<string, ReadonlySet<string>>> = {
  DynamoDB_20120810: new Set(['PutItem', 'UpdateItem', 'DeleteItem', 'BatchWriteItem', 'TransactWriteItems']),
  AmazonSQS: new Set(['SendMessage', 'SendMessageBatch', 'DeleteMessage', 'DeleteMessageBatch', 'ChangeMessageVisibility']),
  AWSEvents: new Set(['PutEvents']),
  AWSStepFunctions: new Set(['StartExecution', 'StartSyncExecution', 'SendTaskSuccess', 'SendTaskFailure', 'StopExecution']),
};

/**
 * The effect a request has, named (`DynamoDB PutItem`, `POST /v2/email/outbound-emails`), or
 * undefined for a read. REST calls (SES, Scheduler, Lambda) change something unless they GET.
 */
export function effectOf(request: EffectRequest): string | undefined {
  const target = request.headers['x-amz-target'];
  if (typeof target === 'string') {
    const [prefix = '', action = ''] = target.split('.');
    return EFFECTS[prefix]?.has(action) ? `${prefix.replace(/_\d+$/, '')} ${action}` : undefined;
  }
  if (request.method === 'GET' || request.method === 'HEAD') return undefined;
  return `${request.method} ${request.url.split('?')[0]}`;
}

/** The invocation a request belongs to, from its header. */
export function invocationOf(request: EffectRequest): { function: string; id: string } | undefined {
  const value = request.headers[INVOCATION_HEADER];
  if (typeof value !== 'string') return undefined;
  const slash = value.indexOf('/');
  return slash > 0 ? { function: value.slice(0, slash), id: value.slice(slash + 1) } : undefined;
}

/**
 * The units of work an event carries: each message of a queue batch (by message id), else the
 * event itself. A retry carries the same units — an asynchronous retry and a state machine's
 * Retry the same event, a redelivered message the same message id in whatever batch it comes.
 */
function unitsOf(payload: unknown): string[] {
  const records = (payload as { Records?: unknown } | null)?.Records;
  if (Array.isArray(records) && records.every((record) => typeof (record as { messageId?: unknown })?.messageId === 'string'))
    return records.map((record) => `message ${(record as { messageId: string }).messageId}`);
  return [
    `event ${createHash('sha256')
      .update(JSON.stringify(payload) ?? '')
      .digest('base64')}`,
  ];
}

export class CrashPlan {
  private rules: { rule: CrashRule; spent: boolean }[] = [];
  /** Off until rules are set (even none): a cloud that runs no plan keeps no counts. */
  private active = false;
  /** The units of work of each invocation that started, by request id. */
  private readonly units = new Map<string, readonly string[]>();
  /** Units of work an invocation that crashed was doing: their retries are left to finish. */
  private readonly crashedUnits = new Set<string>();
  /** Effects so far of each invocation that made any, by request id. */
  private readonly effects = new Map<string, { function: string; count: number }>();
  /** Invocations that died: nothing they ask for is applied. */
  private readonly dead = new Set<string>();
  /** Crash points met, in the order they were. */
  readonly injected: InjectedCrash[] = [];

  /**
   * Replaces the rules and starts counting effects. Each rule ends one invocation, the first to
   * reach its effect whose work no crash has hit before: a retry is left to finish, so that every
   * crash is one the platform's retries can recover from, whatever other rules do.
   */
  set(rules: readonly CrashRule[]): void {
    for (const rule of rules) {
      if (!(Number.isInteger(rule.afterEffect) && rule.afterEffect >= 1))
        throw new RangeError(`afterEffect must be a whole number from 1, got ${rule.afterEffect}`);
    }
    this.rules = rules.map((rule) => ({ rule, spent: false }));
    this.active = true;
  }

  /** Rules not met yet. */
  get pending(): readonly CrashRule[] {
    return this.rules.filter((entry) => !entry.spent).map((entry) => entry.rule);
  }

  /** An invocation starts (Lambda's request id, the event it was given). */
  begin(_functionName: string, requestId: string, payload: unknown): void {
    if (this.active && this.rules.some((entry) => !entry.spent)) this.units.set(requestId, unitsOf(payload));
  }

  /** Whether the request comes from an invocation that died. */
  isDead(request: EffectRequest): boolean {
    const invocation = invocationOf(request);
    return invocation !== undefined && this.dead.has(invocation.id);
  }

  /**
   * Counts a request that was applied, and says whether its invocation ends here. Requests that
   * change nothing, or come from outside any function, are let through.
   */
  applied(request: EffectRequest): CrashMode | undefined {
    const invocation = invocationOf(request);
    const effect = effectOf(request);
    if (!this.active || !invocation || !effect) return undefined;
    const seen = this.effects.get(invocation.id) ?? { function: invocation.function, count: 0 };
    seen.count++;
    this.effects.set(invocation.id, seen);
    const units = this.units.get(invocation.id) ?? [];
    if (units.some((unit) => this.crashedUnits.has(unit))) return undefined;
    const entry = this.rules.find(({ rule, spent }) => !spent && invocation.function.includes(rule.function) && rule.afterEffect === seen.count);
    if (!entry) return undefined;
    entry.spent = true;
    this.dead.add(invocation.id);
    for (const unit of units) this.crashedUnits.add(unit);
    const mode = entry.rule.mode ?? 'crash';
    this.injected.push({ function: invocation.function, invocation: invocation.id, afterEffect: seen.count, mode, effect });
    return mode;
  }

  /** How many effects each invocation of each function made (those that made any), by function. */
  effectCounts(): Map<string, number[]> {
    const counts = new Map<string, number[]>();
    for (const { function: name, count } of this.effects.values()) counts.set(name, [...(counts.get(name) ?? []), count]);
    return counts;
  }
}
