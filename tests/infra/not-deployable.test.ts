/** A journey file marked `notDeployable` (as an import writes one) is checked, but left out of the stack with a warning. */
import { copyFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDefinitions } from '#infra/definitions.ts';
import { REPOSITORY_JOURNEYS_DIR } from '#shared/journeys/load-journeys.ts';
import { synthStack } from '#tests/support/stack.ts';

let dir: string;

const draft = (name: string, extra = '') => `name: ${name}
version: 1
description: Imported, with an SMS step left out.
trigger: { event: order.placed }
notDeployable:
  - 'activity "text-them": sends by SMS, and this system sends email only'
steps:
  - id: thanks
    send: { template: loyalty-thanks, kind: marketing, topic: newsletter }
${extra}`;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'not-deployable-'));
  await copyFile(join(REPOSITORY_JOURNEYS_DIR, 'csat-survey.yaml'), join(dir, 'csat-survey.yaml'));
  await writeFile(join(dir, 'imported.yaml'), draft('imported'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('journeys marked not deployable', () => {
  it('are loaded apart, with what must be fixed, and the others as before', async () => {
    const definitions = await loadDefinitions({ journeysDir: dir });

    expect(definitions.journeys.map((journey) => journey.name)).toEqual(['csat-survey']);
    expect(definitions.notDeployable).toEqual([
      { name: 'imported', file: expect.stringMatching(/imported\.yaml$/), reasons: ['activity "text-them": sends by SMS, and this system sends email only'] },
    ]);
  });

  it('are left out of the stack, and synthesis warns which and why', async () => {
    const { stack, template } = synthStack({ definitions: await loadDefinitions({ journeysDir: dir }) });

    Annotations.fromStack(stack).hasWarning(
      '*',
      Match.stringLikeRegexp('journey imported \\(.*imported\\.yaml\\) is not deployed until fixed: activity "text-them": sends by SMS'),
    );
    expect(Object.keys(template.findResources('AWS::Events::Rule')).filter((id) => id.includes('Journeyimported'))).toEqual([]);
    expect(Object.keys(template.findResources('AWS::Events::Rule')).some((id) => id.includes('Journeycsatsurvey'))).toBe(true);
  });

  it('are still validated, and still count against a name used twice', async () => {
    await writeFile(join(dir, 'broken.yaml'), draft('broken', '  - id: wait\n    wait: { for: soon }\n'));
    await writeFile(join(dir, 'twice.yaml'), draft('csat-survey'));

    await expect(loadDefinitions({ journeysDir: dir })).rejects.toThrow(
      /broken\.yaml: step "wait" \(steps\[1\]\): wait\.for: must be a duration[\s\S]*journey csat-survey is defined twice/,
    );
  });
});
