/**
 * What a translation could not carry over. `blocking` issues change what the definition would do
 * (a step on a channel this system does not send on, a condition it cannot state): the journey is
 * written but marked not deployable. The others are notes: kept as comments in the file and in
 * the report, for someone to read once.
 */
export interface Issue {
  /** Where in the source: `activity "a1"`, `QuietTime`, `{{#each}}`. */
  readonly at: string;
  readonly message: string;
  readonly blocking: boolean;
}

export const blocking = (at: string, message: string): Issue => ({ at, message, blocking: true });
export const note = (at: string, message: string): Issue => ({ at, message, blocking: false });

/** One line for a file or a report: `activity "a1": …`. */
export const describeIssue = (issue: Issue): string => `${issue.at}: ${issue.message}`;

/** What translating one thing gave: the result, when there is one, and what it could not carry. */
export interface Translated<T> {
  readonly value?: T;
  readonly issues: readonly Issue[];
}
