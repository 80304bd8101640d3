import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { durationFromIso, rateFromIso, readExport } from '#cli/import/pinpoint/index.ts';

const dir = mkdtempSync(join(tmpdir(), 'pinpoint-export-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('reading a Pinpoint export', () => {
  it('reads endpoint files gzipped or not, API answers with or without their envelope, and reports what it cannot read', () => {
    for (const folder of ['endpoints', 'segments', 'journeys', 'templates']) mkdirSync(join(dir, folder), { recursive: true });
    const line = (id: string) => JSON.stringify({ Id: id, ChannelType: 'EMAIL', Address: `${id}@example.com` });
    writeFileSync(join(dir, 'endpoints', 'a.json'), `${line('e1')}\n\n{"Id": 7}\nnot json\n`);
    mkdirSync(join(dir, 'endpoints', 'job-1'));
    writeFileSync(join(dir, 'endpoints', 'job-1', 'b'), gzipSync(`${line('e2')}\n${line('e3')}\n`));
    writeFileSync(join(dir, 'segments', 's.json'), JSON.stringify({ SegmentResponse: { Id: 's1', Name: 'S' } }));
    writeFileSync(join(dir, 'journeys', 'j.json'), JSON.stringify({ Id: 'j1', Name: 'J' }));
    writeFileSync(join(dir, 'templates', 't.json'), JSON.stringify({ EmailTemplateResponse: { Subject: 'no name' } }));

    const exported = readExport(dir);

    expect(exported.endpoints.map((endpoint) => endpoint.Id)).toEqual(['e1', 'e2', 'e3']);
    expect(exported.segments.map((each) => [each.file, each.value.Id])).toEqual([['segments/s.json', 's1']]);
    expect(exported.journeys.map((each) => [each.file, each.value.Name])).toEqual([['journeys/j.json', 'J']]);
    expect(exported.templates).toEqual([]);
    expect(exported.unreadable).toEqual([
      'endpoints/a.json line 3: Id: Invalid input: expected string, received number; ChannelType: Invalid input: expected string, received undefined',
      expect.stringMatching(/^endpoints\/a\.json line 4: /),
      'templates/t.json: TemplateName: Invalid input: expected string, received undefined',
    ]);
  });
});

describe('ISO 8601 durations', () => {
  it('become durations in the largest unit that states them exactly', () => {
    expect(['P2D', 'PT36H', 'PT90M', 'P1W', 'P14D', 'P1DT12H'].map(durationFromIso)).toEqual(['2d', '36h', '90m', '1w', '2w', '36h']);
  });

  it('are not translated when months, years or odd seconds are needed', () => {
    expect(['P1M', 'P1Y', 'PT30S', 'P', 'PT', 'P0D', 'soon'].map(durationFromIso)).toEqual([
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
  });

  it('become EventBridge rates for a refresh frequency', () => {
    expect(['PT1H', 'P1D', 'PT15M', 'P2D', 'PT30S'].map(rateFromIso)).toEqual(['rate(1 hour)', 'rate(1 day)', 'rate(15 minutes)', 'rate(2 days)', undefined]);
  });
});
