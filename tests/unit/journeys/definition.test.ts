import { readdirSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DefinitionError } from '#shared/definitions/validate.ts';
import { allSteps, durationSeconds, JourneyDefinition } from '#shared/journeys/definition.ts';
import { loadJourneys, REPOSITORY_JOURNEYS_DIR } from '#shared/journeys/load-journeys.ts';
import { loadDefinitions } from '#infra/definitions.ts';
import { REPOSITORY_SEGMENTS_DIR } from '#shared/segments/load-segments.ts';

const minimal = {
  name: 'thank-you',
  version: 1,
  description: 'Thanks a customer for their first order.',
  trigger: { event: 'order.placed' },
  steps: [{ id: 'thanks', send: { template: 'loyalty-thanks', kind: 'marketing', topic: 'newsletter' } }],
};

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'journeys-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** The message loading `files` fails with, or undefined when they load. */
async function loadError(files: Record<string, string>): Promise<string | undefined> {
  for (const [name, text] of Object.entries(files)) await writeFile(join(dir, name), text);
  try {
    await loadJourneys(dir, dir);
    return undefined;
  } catch (error) {
    expect(error).toBeInstanceOf(DefinitionError);
    return (error as Error).message;
  }
}

describe('the journey schema', () => {
  it('fills in the entry and exit defaults: no re-entry, no goals', () => {
    const parsed = JourneyDefinition.parse(minimal);
    expect(parsed.entry).toEqual({ reentry: 'never' });
    expect(parsed.exit).toEqual({ goals: [], leave: [] });
  });

  it('reads durations in minutes, hours, days and weeks', () => {
    expect(['30m', '1h', '7d', '2w'].map(durationSeconds)).toEqual([1_800, 3_600, 604_800, 1_209_600]);
    expect(JourneyDefinition.safeParse({ ...minimal, entry: { reentry: { after: '1 day' } } }).success).toBe(false);
  });

  it('refuses a split whose percentages do not add up to 100, and a holdout above half', () => {
    const split = {
      id: 'ab',
      split: {
        variants: [
          { name: 'a', percent: 50, steps: minimal.steps },
          { name: 'b', percent: 40, steps: minimal.steps },
        ],
      },
    };
    expect(JourneyDefinition.safeParse({ ...minimal, steps: [split] }).error?.issues[0]?.message).toBe('variant percentages must add up to 100');
    expect(JourneyDefinition.safeParse({ ...minimal, steps: [{ id: 'h', holdout: { percent: 60 } }, ...minimal.steps] }).error?.issues[0]?.message).toBe(
      'a holdout above 50% leaves too few to treat',
    );
  });

  it('refuses an event outside the catalog as a trigger, goal or awaited event', () => {
    for (const journey of [
      { ...minimal, trigger: { event: 'order.teleported' } },
      { ...minimal, exit: { goals: ['order.teleported'] } },
      { ...minimal, steps: [{ id: 'w', waitForEvent: { event: 'order.teleported', timeout: '1d' } }] },
    ]) {
      expect(JourneyDefinition.safeParse(journey).error?.issues[0]?.message).toBe('must be a detail-type of the event catalog');
    }
  });

  it('finds every step, nested ones included, and refuses an id used twice', () => {
    const nested = {
      ...minimal,
      steps: [
        { id: 'wait', waitForEvent: { event: 'checkout.started', timeout: '1d', else: [{ id: 'nudge', send: minimal.steps[0]?.send }] } },
        {
          id: 'choose',
          branch: { if: { stage: 'buy' }, then: [{ id: 'thanks', send: minimal.steps[0]?.send }], else: [{ id: 'nudge', wait: { for: '1h' } }] },
        },
      ],
    };
    const result = JourneyDefinition.safeParse(nested);
    expect(result.error?.issues.map((issue) => issue.message)).toEqual(['step id nudge is used twice']);
    expect(allSteps(nested.steps as never).map((each) => each.id)).toEqual(['wait', 'nudge', 'choose', 'thanks', 'nudge']);
  });
});

describe('loading journey files', () => {
  it('loads YAML, JSON and TypeScript journeys through the same schema', async () => {
    await writeFile(join(dir, 'a.yaml'), `name: a-yaml\nversion: 1\ndescription: d\ntrigger: { manual: true }\nsteps:\n  - id: w\n    wait: { for: 1h }\n`);
    await writeFile(join(dir, 'b.json'), JSON.stringify({ ...minimal, name: 'b-json' }));
    await writeFile(join(dir, 'c.ts'), `export default ${JSON.stringify({ ...minimal, name: 'c-ts', entry: { reentry: 'always' } })};\n`);
    const journeys = await loadJourneys(dir, dir);
    expect(journeys.map((journey) => [journey.name, journey.entry.reentry])).toEqual([
      ['a-yaml', 'never'],
      ['b-json', 'never'],
      ['c-ts', 'always'],
    ]);
  });

  it('names the file, the step and the field of a mistake, however deep the step', async () => {
    const broken = {
      ...minimal,
      steps: [
        { id: 'first', wait: { for: '1h' } },
        { id: 'check', branch: { if: { stage: 'buy' }, then: [{ id: 'remind', send: { template: 'cart-reminder', kind: 'promotional' } }] } },
      ],
    };
    expect(await loadError({ 'broken.json': JSON.stringify(broken) })).toBe(
      'Invalid journeys:\nbroken.json: step "remind" (steps[1].branch.then[0]): send.kind: Invalid option: expected one of "transactional"|"marketing"',
    );
  });

  it('names the field of a mistake outside the steps, and every broken file at once', async () => {
    const message = await loadError({
      'one.yaml': `name: one\nversion: 0\ndescription: d\ntrigger: { manual: true }\nsteps: [{ id: w, wait: { for: 1h } }]\n`,
      'two.yaml': `name: two\nversion: 1\ndescription: d\ntrigger: { manual: true }\nsteps: [{ id: w, wait: { until: "25:00" } }]\n`,
    });
    expect(message).toContain('one.yaml: version: Too small: expected number to be >=1');
    expect(message).toContain('two.yaml: step "w" (steps[0]): wait.until: must be a local time of day such as 09:00');
  });

  it('says which step kinds there are, and which keys a step of a kind takes', async () => {
    const message = await loadError({
      'kinds.yaml': [
        'name: kinds\nversion: 1\ndescription: d\ntrigger: { manual: true }\nsteps:',
        '  - { id: one, sleep: { for: 1h } }',
        '  - { id: two, wait: { for: 1h }, send: { template: t, kind: marketing } }',
        '  - { id: three, send: { template: t, kind: marketing, topics: offers } }',
        '  - { id: four, wait: { for: 1h, until: "09:00" } }',
      ].join('\n'),
    });
    expect(message?.split('\n').slice(1)).toEqual([
      'kinds.yaml: step "one" (steps[0]): (the step): must be a step with one of send, wait, waitForEvent, branch, split, holdout, updateProfile or emit (found sleep)',
      'kinds.yaml: step "two" (steps[1]): (the step): is a step with 2 kinds (send, wait); give each its own',
      'kinds.yaml: step "three" (steps[2]): send: unknown key "topics" in a send step (it takes template, kind, topic, variables, personalize)',
      'kinds.yaml: step "four" (steps[3]): wait: is a wait with 2 kinds (for, until); give each its own',
    ]);
  });

  it('refuses two journeys of the same name, and a file that is not YAML', async () => {
    expect(await loadError({ 'a.json': JSON.stringify(minimal), 'b.json': JSON.stringify(minimal) })).toContain('journey thank-you is defined twice');
    await rm(join(dir, 'b.json'));
    expect(await loadError({ 'c.yaml': 'name: [unclosed' })).toMatch(/c\.yaml: .*Flow sequence/s);
  });

  it('loads every journey of the repository, one for each file', async () => {
    // Whatever journeys are there: marketing adds files without touching this test.
    const files = readdirSync(REPOSITORY_JOURNEYS_DIR).filter((file) => /\.(ya?ml|json|ts)$/.test(file));

    const journeys = await loadJourneys(REPOSITORY_JOURNEYS_DIR);

    expect(files.length).toBeGreaterThan(0);
    expect(journeys).toHaveLength(files.length);
    expect(new Set(journeys.map((journey) => journey.name)).size).toBe(files.length);
  });

  it('uses every step type across the built-in journeys', async () => {
    const journeys = await loadJourneys(REPOSITORY_JOURNEYS_DIR);
    const kinds = new Set(journeys.flatMap((journey) => allSteps(journey.steps)).map((each) => Object.keys(each).find((key) => key !== 'id')));
    expect([...kinds].sort()).toEqual(['branch', 'emit', 'holdout', 'send', 'split', 'updateProfile', 'wait', 'waitForEvent']);
    const waits = journeys
      .flatMap((journey) => allSteps(journey.steps))
      .flatMap((each) => ('wait' in each ? Object.keys(each.wait).filter((key) => key !== 'offset' && key !== 'otherwise') : []));
    expect(new Set(waits)).toEqual(new Set(['for', 'until', 'untilAttribute']));
  });
});

describe('loading definitions for synthesis', () => {
  it('refuses a journey on a segment that does not exist', async () => {
    await writeFile(join(dir, 'j.yaml'), `name: lonely\nversion: 1\ndescription: d\ntrigger: { segment: nobody }\nsteps: [{ id: w, wait: { for: 1h } }]\n`);
    await expect(loadDefinitions({ journeysDir: dir, segmentsDir: REPOSITORY_SEGMENTS_DIR })).rejects.toThrow(
      'journey lonely: trigger.segment: no segment nobody',
    );
  });

  it('refuses a send step whose template does not exist, naming the journey and the step', async () => {
    await writeFile(
      join(dir, 'j.yaml'),
      `name: typo\nversion: 1\ndescription: d\ntrigger: { manual: true }\nsteps: [{ id: hello, send: { template: welcom, kind: marketing } }]\n`,
    );
    await expect(loadDefinitions({ journeysDir: dir })).rejects.toThrow(/^journey typo: step "hello": send\.template: no template welcom in /);
  });
});
