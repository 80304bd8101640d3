/**
 * Puts raw entries on the bus with the real SDK client, past the typed emitter (which would refuse
 * them before sending): ten to a call, and an entry over EventBridge's size limit in a call of its
 * own, since it fails the whole request. Says, per entry, whether PutEvents accepted it.
 */
import { PutEventsCommand } from '@aws-sdk/client-eventbridge';
import type { TestCloud } from '#tests/support/local-cloud.ts';
import { entryBytes, MAX_ENTRY_BYTES, type Entry } from './hostile-oracle.ts';

export type PutResult =
  | { readonly accepted: true; readonly eventId: string }
  /** `code` is the entry's ErrorCode, or the request's error name when the whole call failed. */
  | { readonly accepted: false; readonly code: string; readonly message: string };

async function putCall(test: TestCloud, entries: readonly Entry[]): Promise<PutResult[]> {
  try {
    const response = await test.eventBridge.send(new PutEventsCommand({ Entries: entries.map((entry) => ({ ...entry, EventBusName: test.busName })) }));
    return entries.map((_, index): PutResult => {
      const result = response.Entries?.[index];
      return result?.EventId && !result.ErrorCode
        ? { accepted: true, eventId: result.EventId }
        : { accepted: false, code: result?.ErrorCode ?? 'MissingResult', message: result?.ErrorMessage ?? '' };
    });
  } catch (error) {
    const failure = error instanceof Error ? error : new Error(String(error));
    return entries.map(() => ({ accepted: false, code: failure.name, message: failure.message }));
  }
}

/** Results in the order of `entries`. */
export async function putEntries(test: TestCloud, entries: readonly Entry[]): Promise<PutResult[]> {
  const results: PutResult[] = new Array<PutResult>(entries.length);
  const calls: number[][] = [];
  let current: number[] = [];
  entries.forEach((entry, index) => {
    if (entryBytes(entry) > MAX_ENTRY_BYTES) {
      calls.push([index]);
      return;
    }
    current.push(index);
    if (current.length === 10) {
      calls.push(current);
      current = [];
    }
  });
  if (current.length > 0) calls.push(current);
  await Promise.all(
    calls.map(async (indexes) => {
      const answers = await putCall(
        test,
        indexes.map((index) => entries[index] as Entry),
      );
      indexes.forEach((index, position) => {
        results[index] = answers[position] as PutResult;
      });
    }),
  );
  return results;
}
