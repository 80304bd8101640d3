/** The rules every SQS batch action shares: 1 to 10 entries with distinct, well-formed ids; per-entry outcomes. */
import { AwsServiceError } from '#local/aws-error.ts';
import { requiredString, type Input } from '#local/sqs/input.ts';

const MAX_ENTRIES = 10;
const ENTRY_ID = /^[A-Za-z0-9_-]{1,80}$/;

export interface BatchFailure {
  readonly Id: string;
  readonly SenderFault: boolean;
  readonly Code: string;
  readonly Message: string;
}

export interface BatchResult<T> {
  readonly Successful: T[];
  readonly Failed: BatchFailure[];
}

export function checkBatch(entries: readonly Input[]): void {
  if (entries.length === 0) throw new AwsServiceError('EmptyBatchRequest', 'There should be at least one entry in the request.');
  if (entries.length > MAX_ENTRIES) {
    throw new AwsServiceError('TooManyEntriesInBatchRequest', `Maximum number of entries per request are ${MAX_ENTRIES}. You have sent ${entries.length}.`);
  }
  const ids = entries.map((entry) => requiredString(entry, 'Id'));
  const malformed = ids.find((id) => !ENTRY_ID.test(id));
  if (malformed !== undefined) {
    throw new AwsServiceError(
      'InvalidBatchEntryId',
      `A batch entry id can only contain alphanumeric characters, hyphens and underscores. It can be at most 80 letters long: ${malformed}`,
    );
  }
  if (new Set(ids).size !== ids.length) throw new AwsServiceError('BatchEntryIdsNotDistinct', 'Two or more batch entries in the request have the same Id.');
}

/**
 * Runs each entry on its own: an entry the service refuses is reported in `Failed` with its error
 * code, the others still succeed. Anything but a service error is a fault of ours and propagates.
 */
export function runBatch<T>(entries: readonly Input[], run: (entry: Input, id: string) => T): BatchResult<T> {
  checkBatch(entries);
  const result: BatchResult<T> = { Successful: [], Failed: [] };
  for (const entry of entries) {
    const id = requiredString(entry, 'Id');
    try {
      result.Successful.push(run(entry, id));
    } catch (error) {
      if (!(error instanceof AwsServiceError)) throw error;
      result.Failed.push({ Id: id, SenderFault: error.statusCode < 500, Code: error.code, Message: error.message });
    }
  }
  return result;
}
