import { describe, expect, it } from 'vitest';
import { buildReport } from '#shared/reporting/build-report.ts';
import { renderTerminal } from '#shared/reporting/render-terminal.ts';
import { textBar } from '#shared/reporting/text-bar.ts';
import { textTable } from '#shared/reporting/text-table.ts';
import { emptyData, sampleData } from './sample-report-data.ts';

const text = renderTerminal(buildReport(sampleData));
const lines = text.split('\n');
const line = (start: string) => lines.find((each) => each.startsWith(start)) ?? '';

describe('the terminal report', () => {
  it('has a header and a section for each part', () => {
    expect(text).toContain('source     stack Lifecycle-prod');
    expect(text).toContain('generated  2025-01-27 09:30 UTC');
    expect(text).toContain('customers  6 (and 2 anonymous visitors)');
    expect(text).toContain('events     31 recorded, 15 stage changes');
    for (const heading of ['FUNNEL', 'MEDIAN DAYS IN STAGE', 'JOURNEYS', 'EMAILS', 'SUPPORT', 'SATISFACTION']) expect(text).toContain(heading);
  });

  it('accounts for every email, the skipped ones by reason', () => {
    expect(text).toContain('3 sent, 1 deferred past quiet hours, 1 being sent, 3 skipped');
    expect(text).toContain('skipped by reason: no-consent 2, too-old 1');
  });

  it('draws the funnel as bars scaled to the widest stage, with counts and conversion', () => {
    // discover 6 of 6: 20 full; research 5 of 6: round(16.7) = 17 full
    expect(line('discover')).toMatch(/^discover +█{20} +6 +1 +—$/);
    expect(line('research')).toMatch(/^research +█{17}░{3} +5 +1 +83\.3%$/);
    expect(line('retain')).toMatch(/^retain +█{3}░{17} +1 +1 +33\.3%$/); // 1 of 6: round(3.3) = 3
    expect(text).toContain('support, apart from the progression: 1 now, 2 ever');
  });

  it('shows journey conversion as bars, with treatment, holdout and lift', () => {
    // welcome 24%: round(4.8) = 5 of 20
    expect(line('welcome v1')).toMatch(/^welcome v1 +100 +24 +█{5}░{15} +24\.0% +27\.5% +10\.0% +\+175\.0% +150 +70 +15$/);
    // No holdout step: no groups to compare and no lift.
    expect(line('cart-recovery v2')).toMatch(/30\.0% +— +— +— +10 +6 +3$/);
  });

  it('shows the requests by outcome, the automation rate as a bar and the answer times', () => {
    expect(text).toContain('6 requests: 3 auto-answered, 3 escalated (1 open)');
    // 50%: 10 of 20
    expect(text).toContain(`automation rate  ${'█'.repeat(10)}${'░'.repeat(10)} 50.0%`);
    expect(lines).toContainEqual(expect.stringMatching(/^all +5 +30 s +1\.6 h$/)); // p90 5760 s = 1.6 h
    expect(line('automatic')).toMatch(/^automatic +3 +20 s +28 s$/);
    expect(line('escalated')).toMatch(/^escalated +2 +1\.5 h +1\.9 h$/); // 5400 s, 6840 s
  });

  it('shows the CSAT and NPS trend as a table, empty weeks included', () => {
    expect(text).toContain('CSAT 3.80 of 5, 60.0% rated 4–5 (5 answers); NPS +16.7 (6 answers)');
    expect(line('2025-W02')).toMatch(/^2025-W02 +3\.67 +66\.7% +3 +\+33\.3 +3$/);
    expect(line('2025-W03')).toMatch(/^2025-W03 +— +— +— +— +—$/);
    expect(line('2025-W04')).toMatch(/^2025-W04 +4\.00 +50\.0% +2 +0\.0 +3$/);
  });

  it('aligns columns', () => {
    const table = lines.slice(lines.indexOf('MEDIAN DAYS IN STAGE') + 1, lines.indexOf('MEDIAN DAYS IN STAGE') + 9);
    expect(new Set(table.map((each) => each.length)).size).toBe(1);
  });

  it('says so when there is nothing to show, without NaN', () => {
    const empty = renderTerminal(buildReport(emptyData));
    expect(empty).not.toMatch(/NaN|undefined|Infinity/);
    expect(empty).toContain('no journeys have run');
    expect(empty).toContain('no support requests');
    expect(empty).toContain('no survey answers');
    expect(empty).toMatch(/discover +░{20} +0 +0 +—/);
  });
});

describe('text helpers', () => {
  it('fills bars in proportion, clamped', () => {
    expect(textBar(0.5, 10)).toBe('█████░░░░░');
    expect(textBar(1.7, 4)).toBe('████');
    expect(textBar(null, 4)).toBe('░░░░');
    expect(textBar(Number.NaN, 4)).toBe('░░░░');
  });

  it('pads columns to the widest cell, right-aligning numbers', () => {
    expect(
      textTable(
        ['name', 'n'],
        [
          ['a', '10'],
          ['bbb', '2'],
        ],
        ['left', 'right'],
      ),
    ).toEqual(['name   n', '----  --', 'a     10', 'bbb    2']);
  });
});
