/**
 * A segment: who is in, as a condition over the profile, defined in a file that marketing reviews
 * in git (`workflows/segments/at-risk.yaml`). This module checks one definition; index.ts is the
 * public face of segments. load-segments.ts reads a folder of definitions.
 */
import * as z from 'zod';
import { Condition, eventConditionPaths, formatIssues } from '../conditions/condition.ts';
import { DefinitionError } from '../definitions/validate.ts';

/** A validated segment definition. */
export interface Segment {
  /** Lowercase words joined by dashes (`at-risk-customers`): it names launches and schedules. */
  readonly name: string;
  readonly description: string;
  /** Who is in. `event` conditions are refused: a segment has no journey to count events since. */
  readonly conditions: Condition;
  /** An EventBridge schedule expression, `rate(1 day)` or `cron(0 8 * * ? *)`, for scheduled launches. */
  readonly schedule?: string;
}

/** What a segment file holds: the same shape as a Segment, checked by the schema of this name. */
export type SegmentDefinition = Segment;

/**
 * Thrown with every problem found, one a line: `<file>: <zod path>: <what is wrong>`. A
 * DefinitionError, like the journeys' errors, so callers handle both alike.
 */
export class SegmentDefinitionError extends DefinitionError {
  constructor(readonly problems: readonly string[]) {
    super(problems.join('\n'));
  }
}

const NAME = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;
const RATE = /^rate\((\d+) (minute|minutes|hour|hours|day|days)\)$/;
// Six fields (minutes hours day-of-month month day-of-week year), as EventBridge Scheduler wants.
const CRON = /^cron\(\S+( \S+){5}\)$/;

/** EventBridge wants the singular unit for 1 (`rate(1 day)`) and the plural otherwise (`rate(2 days)`). */
function isScheduleExpression(value: string): boolean {
  if (CRON.test(value)) return true;
  const rate = RATE.exec(value);
  if (!rate) return false;
  const amount = Number(rate[1]);
  return amount >= 1 && (amount === 1) === !(rate[2] ?? '').endsWith('s');
}

/** A missing key says so; a present one of the wrong type gets `message`. */
const requiredOr = (message: string) => (issue: { input?: unknown }) => (issue.input === undefined ? 'is required' : message);

const conditions = Condition.superRefine((condition, ctx) => {
  for (const path of eventConditionPaths(condition)) {
    ctx.addIssue({
      code: 'custom',
      path: [...path],
      input: condition,
      message: 'event conditions work in journeys only (they count events since the customer entered); a segment cannot use them',
    });
  }
});

/** The zod schema of a segment file. */
export const SegmentDefinition: z.ZodType<Segment> = z.strictObject(
  {
    name: z
      .string({ error: requiredOr('must be a string') })
      .max(64, { error: 'must be at most 64 characters' })
      .regex(NAME, { error: 'must be lowercase letters and digits joined by dashes, such as at-risk-customers' }),
    description: z
      .string({ error: requiredOr('must be a string') })
      .trim()
      .min(1, { error: 'must not be empty' })
      .max(1000, { error: 'must be at most 1000 characters' }),
    conditions,
    schedule: z
      .string({ error: 'must be a string' })
      .refine(isScheduleExpression, { error: 'must be rate(…) or cron(…) such as rate(1 day) or cron(0 8 * * ? *)' })
      .optional(),
  },
  {
    error: (issue) => {
      if (issue.code === 'unrecognized_keys') {
        return `unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((key) => JSON.stringify(key)).join(', ')} (a segment takes name, description, conditions, schedule)`;
      }
      if (issue.code === 'invalid_type') return 'must be a segment definition: an object with name, description and conditions';
      return undefined;
    },
  },
);

/**
 * Checks a segment definition read from `file` (YAML, JSON or a TypeScript module's default
 * export); throws a SegmentDefinitionError naming the file and the path of every problem.
 */
export function parseSegment(source: unknown, file: string): Segment {
  const parsed = SegmentDefinition.safeParse(source);
  if (!parsed.success) throw new SegmentDefinitionError(formatIssues(parsed.error.issues).map((problem) => `${file}: ${problem}`));
  return parsed.data;
}

/**
 * Types a segment written in TypeScript (`export default defineSegment({ … })`); the definition
 * is still checked when it is loaded.
 */
export function defineSegment(definition: SegmentDefinition): SegmentDefinition {
  return definition;
}
