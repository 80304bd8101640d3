import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadSegments } from '#shared/segments/load-segments.ts';
import { parseSegment, planSegment, SCAN_SEGMENTS, SegmentDefinitionError, type Segment } from '#shared/segments/index.ts';

const atRisk = {
  name: 'at-risk',
  description: 'Retained customers who went quiet',
  conditions: { all: [{ stage: ['use', 'retain'] }, { lastActive: { olderThanDays: 60 } }] },
  schedule: 'rate(1 day)',
};

/** The problems parseSegment reports, or none. */
function problems(source: unknown, file = 'workflows/segments/at-risk.yaml'): readonly string[] {
  try {
    parseSegment(source, file);
    return [];
  } catch (error) {
    if (error instanceof SegmentDefinitionError) return error.problems;
    throw error;
  }
}

describe('parsing a segment definition', () => {
  it('returns the definition as written', () => {
    expect(parseSegment(atRisk, 'at-risk.yaml')).toEqual(atRisk);
  });

  it('refuses event conditions at any depth, naming where', () => {
    const withEvent = { ...atRisk, conditions: { any: [{ stage: 'buy' }, { not: { event: 'order.delivered' } }] } };
    expect(problems(withEvent)).toEqual([
      'workflows/segments/at-risk.yaml: conditions.any[1].not.event: event conditions work in journeys only (they count events since the customer entered); a segment cannot use them',
    ]);
  });

  it('names the file and the path of every problem, and throws them as one error', () => {
    const broken = { name: 'At Risk', conditions: { all: [{ stage: 'churned' }, { counter: 'orders', gte: 1, lte: 3 }] }, owner: 'crm' };
    expect(problems(broken)).toEqual([
      'workflows/segments/at-risk.yaml: name: must be lowercase letters and digits joined by dashes, such as at-risk-customers',
      'workflows/segments/at-risk.yaml: description: is required',
      'workflows/segments/at-risk.yaml: conditions.all[0].stage: must be one of discover, research, buy, use, support, retain',
      'workflows/segments/at-risk.yaml: conditions.all[1]: has 2 comparisons (gte, lte); use exactly one (combine conditions with all for a range)',
      'workflows/segments/at-risk.yaml: unknown key "owner" (a segment takes name, description, conditions, schedule)',
    ]);
    expect(() => parseSegment(broken, 'x.yaml')).toThrow(/^x\.yaml: name: .*\nx\.yaml: description: is required\n/);
  });

  it('says a missing or non-object definition is not a segment', () => {
    expect(problems(null, 'empty.yaml')).toEqual(['empty.yaml: must be a segment definition: an object with name, description and conditions']);
    expect(problems({ name: 'x', description: 'd' }, 'x.json')).toEqual(['x.json: conditions: is required']);
  });

  it.each([
    ['rate(1 day)', true],
    ['rate(12 hours)', true],
    ['cron(0 8 * * ? *)', true],
    ['rate(1 days)', false],
    ['rate(2 day)', false],
    ['rate(0 days)', false],
    ['cron(0 8 * * ?)', false],
    ['daily', false],
  ])('schedule %s is %s', (schedule, valid) => {
    expect(problems({ ...atRisk, schedule })).toEqual(valid ? [] : [expect.stringMatching(/: schedule: must be rate\(…\) or cron\(…\)/)]);
  });
});

describe('loading a folder of segments', () => {
  let root: string;
  let dir: string;

  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'segments-'));
    dir = join(root, 'segments');
    await mkdir(dir);
    await writeFile(
      join(dir, 'at-risk.yaml'),
      [
        'name: at-risk',
        'description: Retained customers who went quiet',
        'conditions:',
        '  all:',
        '    - stage: [use, retain]',
        '    - lastActive: { olderThanDays: 60 }',
        '',
      ].join('\n'),
    );
    await writeFile(
      join(dir, 'big-spenders.json'),
      JSON.stringify({ name: 'big-spenders', description: 'EUR 1000 and more', conditions: { revenue: 'EUR', gte: 1000 } }),
    );
    await writeFile(
      join(dir, 'korean-vips.ts'),
      `export default { name: 'korean-vips', description: 'VIPs who read Korean', conditions: { all: [{ tag: 'vip' }, { locale: 'ko' }] } as const };\n`,
    );
    await writeFile(join(dir, 'README.md'), '# not a segment\n');
  });

  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('reads YAML, JSON and TypeScript files, in file order', async () => {
    const segments = await loadSegments(dir, root);
    expect(segments.map((segment) => segment.name)).toEqual(['at-risk', 'big-spenders', 'korean-vips']);
    expect(segments[2]?.conditions).toEqual({ all: [{ tag: 'vip' }, { locale: 'ko' }] });
  });

  it('reports every broken file in one error, each problem with its file and path', async () => {
    await writeFile(join(dir, 'broken.yml'), 'name: broken\ndescription: a typo\nconditions:\n  all:\n    - counter: order\n      gte: 2\n');
    await writeFile(join(dir, 'not-json.json'), '{ "name": ');
    await writeFile(join(dir, 'no-default.ts'), 'export const segment = {};\n');

    const error = await loadSegments(dir, root).catch((thrown: unknown) => thrown);

    expect(error).toBeInstanceOf(SegmentDefinitionError);
    const found = (error as SegmentDefinitionError).problems;
    expect(found).toHaveLength(3);
    expect(found[0]).toBe('segments/broken.yml: conditions.all[0].counter: must be one of events, orders, supportRequests');
    expect(found[1]).toBe('segments/no-default.ts: must default-export the segment definition');
    expect(found[2]).toMatch(/^segments\/not-json\.json: not valid JSON: /);
  });

  it('reports a YAML syntax error with its place in the file', async () => {
    await writeFile(join(dir, 'bad-syntax.yaml'), 'name: bad\ndescription: [unclosed\n');
    await expect(loadSegments(dir, root)).rejects.toThrow(/^segments\/bad-syntax\.yaml: not valid YAML: .* at line \d+, column \d+$/);
  });

  it('refuses two segments of one name, naming both files', async () => {
    await writeFile(join(dir, 'zz-copy.yaml'), 'name: big-spenders\ndescription: a copy\nconditions: { stage: buy }\n');
    await expect(loadSegments(dir, root)).rejects.toThrow('segments/zz-copy.yaml: name: segment big-spenders is also defined in segments/big-spenders.json');
  });

  it('finds no segments in a folder that does not exist', async () => {
    expect(await loadSegments(join(root, 'missing'), root)).toEqual([]);
  });
});

describe('planning a segment', () => {
  const segment = (conditions: Segment['conditions']): Segment => ({ name: 's', description: 'd', conditions });

  it('reads the stage index when every member must be in some stages', () => {
    expect(planSegment(segment({ all: [{ stage: ['retain', 'use'] }, { counter: 'orders', gte: 2 }] }))).toEqual({
      kind: 'stage-index',
      stages: ['use', 'retain'],
    });
    expect(planSegment(segment({ stage: 'support' }))).toEqual({ kind: 'stage-index', stages: ['support'] });
  });

  it('scans in parallel when any stage could match', () => {
    expect(SCAN_SEGMENTS).toBe(4);
    expect(planSegment(segment({ any: [{ stage: 'retain' }, { tag: 'vip' }] }))).toEqual({ kind: 'scan', segments: 4 });
    expect(planSegment(segment({ not: { stage: 'support' } }))).toEqual({ kind: 'scan', segments: 4 });
  });
});
