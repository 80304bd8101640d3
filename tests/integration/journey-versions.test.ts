/**
 * A new version of a journey deployed while participants wait on the old one, in the local cloud:
 * version 1 is deployed and a customer enters it; version 2 is locked and deployed over it (as
 * `cdk deploy --hotswap` updates the functions' code); the waiting participant finishes on version
 * 1 while a customer launched after the deployment takes version 2.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { synthesize } from '#infra/lifecycle-app.ts';
import type { EmitInput } from '#shared/events/emitter.ts';
import { loadJourneys } from '#shared/journeys/load-journeys.ts';
import { readMembership } from '#shared/journeys/membership.ts';
import { keepVersions } from '#shared/journeys/versions.ts';
import { Probes } from '#tests/fixtures/probes.ts';
import { emitAndSettle, startTestCloud, type TestCloud } from '#tests/support/local-cloud.ts';
import { systemEvents, type SystemEvent } from '#tests/support/observe.ts';

const START = Date.parse('2026-11-23T01:00:00Z');
const HOUR = 3_600_000;

const pinned = (version: number) => `name: pinned
version: ${version}
description: Version ${version}.
trigger: { manual: true }
steps:
  - { id: hour, wait: { for: 1h } }
  - { id: said, emit: { detailType: journey.pinned.v${version} } }
`;

let dir: string;
let test: TestCloud;
let nextAssembly: string;
const seen: SystemEvent[] = [];

/** Writes the journey at a version, locks it as `journey lock` does (keeping a copy of the version), and synthesizes. */
async function release(version: number): Promise<string> {
  const journeysDir = join(dir, 'journeys');
  await writeFile(join(journeysDir, 'pinned.yaml'), pinned(version));
  keepVersions(journeysDir, await loadJourneys(journeysDir, dir));
  return synthesize({ outdir: join(dir, `assembly-v${version}`), journeysDir, extend: (stack) => new Probes(stack, 'Probes') });
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'journey-versions-'));
  await mkdir(join(dir, 'journeys'));
  const firstAssembly = await release(1);
  nextAssembly = await release(2);
  test = await startTestCloud({ speed: 0, startTime: START, assemblyDir: firstAssembly });
}, 240_000);

afterAll(async () => {
  await test?.stop();
  await rm(dir, { recursive: true, force: true });
});

const said = async (customerId: string) =>
  (await systemEvents(test, seen)).filter((event) => event.detail.customerId === customerId).map((event) => event['detail-type']);

async function launch(launchId: string, customerId: string) {
  // A customer no other journey takes in: only the launch enters them.
  await emitAndSettle(test, [
    { detailType: 'profile.updated', detail: { customer: { id: customerId }, data: { attributes: { plan: 'basic' } } } } as EmitInput,
  ]);
  const [outputs = {}] = Object.values(test.cloud.outputs);
  const response = await fetch(`${outputs.LaunchUrl ?? ''}journeys/pinned/launches`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      authorization: 'AWS4-HMAC-SHA256 Credential=local/20261123/us-east-1/lambda/aws4_request, SignedHeaders=host, Signature=00',
    },
    body: JSON.stringify({ launchId, customerIds: [customerId] }),
  });
  expect(await response.json()).toMatchObject({ started: 1 });
}

describe('a new journey version deployed while participants wait', () => {
  it('finishes a participant on the version it entered, while customers launched after the deployment take the new one', { timeout: 120_000 }, async () => {
    await launch('before-deploy', 'p-old');
    expect((await readMembership({ ddb: test.ddb, tableName: test.tableName }, 'p-old', 'pinned'))?.activeVersion).toBe(1);

    const updated = await test.cloud.hotswap(nextAssembly);
    // The functions that start runs (launcher, trigger gate, API) and the engine carry the journeys: all took the new code.
    expect(updated.filter((name) => /JourneysLauncher|JourneysTriggerGate|JourneysApi|JourneysRuntime/.test(name))).toHaveLength(4);
    await launch('after-deploy', 'p-new');

    test.cloud.clock.advance(HOUR);
    await test.cloud.settle(120_000);
    expect(await said('p-old')).toEqual(['journey.pinned.v1']);
    expect(await said('p-new')).toEqual(['journey.pinned.v2']);
  });
});
