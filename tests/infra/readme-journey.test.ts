/**
 * The README's "Write your first journey" example, taken from the README itself: it validates and
 * goes into the stack with its trigger rule.
 */
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '#infra/constructs/paths.ts';
import { loadDefinitions } from '#infra/definitions.ts';
import { REPOSITORY_JOURNEYS_DIR } from '#shared/journeys/load-journeys.ts';
import { synthStack } from '#tests/support/stack.ts';

const EXAMPLE_PATH = 'workflows/journeys/loyalty-thanks.yaml';

/** The YAML block of the README that starts with the example's path as a comment. */
function readmeExample(): string {
  const readme = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('### Write your first journey'));
  const block = /```yaml\n(# (.+)\n[\s\S]*?)```/.exec(section);
  expect(block?.[2], 'the first YAML block of the section names its file').toBe(EXAMPLE_PATH);
  return block?.[1] ?? '';
}

const dir = await mkdtemp(join(tmpdir(), 'readme-journey-'));
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('the README journey example', () => {
  it('is not a journey of the repository already (it is the reader\'s first)', async () => {
    const repository = await loadDefinitions({ journeysDir: REPOSITORY_JOURNEYS_DIR });
    expect(repository.journeys.map((journey) => journey.name)).not.toContain('loyalty-thanks');
  });

  it('validates and goes into the stack with its trigger', async () => {
    await writeFile(join(dir, 'loyalty-thanks.yaml'), readmeExample());
    const { journeys } = await loadDefinitions({ journeysDir: dir });
    expect(journeys.map((journey) => [journey.name, journey.steps.length])).toEqual([['loyalty-thanks', 3]]);

    const repository = await loadDefinitions();
    const { template } = synthStack({ definitions: { ...repository, journeys: [...repository.journeys, ...journeys] } });
    template.hasResourceProperties('AWS::Events::Rule', { EventPattern: { 'detail-type': ['order.placed'] }, Description: 'order.placed starts journey loyalty-thanks' });
    // The engine carries it: its definition is in the bundle the engine and the launcher load.
    expect(JSON.stringify(template.toJSON())).not.toContain('StateMachineAlias');
  });
});
