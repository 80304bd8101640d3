/**
 * The README's "Write your first journey" example, taken from the README itself: it validates and
 * goes into the stack with its trigger rule, and into the journeys the engine carries.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadDefinitions } from '#infra/definitions.ts';
import { readmeFileExample } from '#tests/support/readme.ts';
import { synthStack } from '#tests/support/stack.ts';

const example = readmeFileExample('### Write your first journey');

const dir = await mkdtemp(join(tmpdir(), 'readme-journey-'));
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('the README journey example', () => {
  it('validates and goes into the stack with its trigger', async () => {
    expect(example.path).toBe('workflows/journeys/loyalty-thanks.yaml');
    await writeFile(join(dir, 'loyalty-thanks.yaml'), example.text);
    const { journeys } = await loadDefinitions({ journeysDir: dir });
    expect(journeys.map((journey) => [journey.name, journey.steps.length])).toEqual([['loyalty-thanks', 3]]);

    // A reader who followed the tutorial has the example in the repository already: build it once.
    const repository = await loadDefinitions();
    const others = repository.journeys.filter((journey) => journey.name !== 'loyalty-thanks');
    const { template } = synthStack({ definitions: { ...repository, journeys: [...others, ...journeys] } });
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: { 'detail-type': ['order.placed'] },
      Description: 'order.placed starts journey loyalty-thanks',
    });
    // Its steps run in the engine, which carries the definition in its bundle.
    const runtime = Object.values(template.findResources('AWS::Lambda::Function')).find((fn) => JSON.stringify(fn).includes('The journey engine'));
    expect(runtime).toBeDefined();
  });
});
