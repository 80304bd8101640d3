import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { BATCH_WRITE_ATTEMPTS, batchWriteAll, type WriteRequest } from '#shared/clients/batch-write.ts';

// DynamoDB leaves requests unprocessed only under load, which the local store never is: a client
// that leaves the first `unprocessed` requests of each of its first `times` calls stands in for it.
function throttlingClient(options: { unprocessed: number; times: number }) {
  const calls: number[] = [];
  const client = {
    send: async (command: { input: { RequestItems: Record<string, WriteRequest[]> } }) => {
      const requests = command.input.RequestItems.table ?? [];
      calls.push(requests.length);
      const left = calls.length <= options.times ? requests.slice(0, options.unprocessed) : [];
      return { UnprocessedItems: left.length > 0 ? { table: left } : {} };
    },
  };
  return { ddb: client as unknown as DynamoDBDocumentClient, calls };
}

const puts = (count: number): WriteRequest[] => Array.from({ length: count }, (_, n) => ({ PutRequest: { Item: { pk: `p${n}`, sk: 's' } } }));

describe('writing a batch until DynamoDB has processed all of it', () => {
  it('writes 25 requests a call', async () => {
    const { ddb, calls } = throttlingClient({ unprocessed: 0, times: 0 });

    await batchWriteAll({ ddb, tableName: 'table', pause: async () => {} }, puts(60));

    expect(calls).toEqual([25, 25, 10]);
  });

  it('retries what is left unprocessed after a growing, jittered pause', async () => {
    const { ddb, calls } = throttlingClient({ unprocessed: 3, times: 3 });
    const pauses: number[] = [];

    await batchWriteAll({ ddb, tableName: 'table', pause: async (ms) => void pauses.push(ms) }, puts(10));

    expect(calls).toEqual([10, 3, 3, 3]);
    expect(pauses).toHaveLength(3);
    // Each pause lies between half and all of 25 ms × 2^attempt.
    pauses.forEach((ms, n) => {
      expect(ms).toBeGreaterThanOrEqual(25 * 2 ** (n + 1) * 0.5);
      expect(ms).toBeLessThanOrEqual(25 * 2 ** (n + 1));
    });
  });

  it('gives up after a bounded number of attempts', async () => {
    const { ddb, calls } = throttlingClient({ unprocessed: 1, times: Number.POSITIVE_INFINITY });

    await expect(batchWriteAll({ ddb, tableName: 'table', pause: async () => {} }, puts(2))).rejects.toThrow(/1 requests unprocessed after 8 attempts/);
    expect(calls).toHaveLength(BATCH_WRITE_ATTEMPTS);
  });
});
