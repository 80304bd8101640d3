import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createEmitter } from '#shared/events/emitter.ts';
import { readProfile } from '#shared/profile/store.ts';
import { eventually, startTestCloud } from '#tests/support/local-cloud.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'lifecycle-data-'));

afterAll(() => {
  rmSync(dataDir, { recursive: true, force: true });
});

describe('the local cloud with a data directory', () => {
  it('finds the profiles of the first run in the second', async () => {
    const first = await startTestCloud({ dataDir });
    const emitter = createEmitter({ client: first.eventBridge, eventBusName: first.busName, source: 'com.example.shop' });
    await emitter.emit([{ detailType: 'lead.captured', detail: { customer: { id: 'c-kept', email: 'kept@example.com' }, data: { channel: 'signup-form' } } }]);
    await eventually(() => readProfile({ ddb: first.ddb, tableName: first.tableName }, 'c-kept'), 'the profile in the first run');
    await first.cloud.settle();
    await first.stop();

    const second = await startTestCloud({ dataDir });
    const profile = await readProfile({ ddb: second.ddb, tableName: second.tableName }, 'c-kept');
    await second.stop();

    expect(profile).toMatchObject({ customerId: 'c-kept', email: 'kept@example.com', stage: 'discover' });
  });
});
