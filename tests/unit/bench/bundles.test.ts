import { describe, expect, it } from 'vitest';
import { BASELINE_NAME, describeInit, formatBytes, formatTable, median, zipSize, type BundleResult } from '#bench/bundles.ts';

describe('median', () => {
  it('takes the middle of an odd count, whatever the order', () => {
    expect(median([30, 10, 20])).toBe(20);
  });

  it('takes the mean of the two middle values of an even count', () => {
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });

  it('is not a number when there are no values', () => {
    expect(median([])).toBeNaN();
  });

  it('leaves its input in place', () => {
    const values = [3, 1, 2];

    median(values);

    expect(values).toEqual([3, 1, 2]);
  });
});

describe('zip size', () => {
  it('is the end record alone for an empty archive', () => {
    expect(zipSize([])).toBe(22);
  });

  it('adds a local header and a central record, each with the name, around the data', () => {
    expect(zipSize([{ name: 'index.mjs', compressedBytes: 100 }])).toBe(22 + (30 + 9 + 100) + (46 + 9));
  });

  it('counts names in UTF-8 bytes', () => {
    expect(zipSize([{ name: '안내.yaml', compressedBytes: 0 }]) - zipSize([{ name: 'ab.yaml', compressedBytes: 0 }])).toBe(2 * (6 - 2));
  });
});

describe('byte sizes', () => {
  it('shows bytes, kilobytes and megabytes', () => {
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(866_805)).toBe('846 KB');
    expect(formatBytes(1_228_800)).toBe('1.17 MB');
  });
});

describe('what a bundle does at import', () => {
  const quiet = { envRead: [], files: [], network: [], configured: [] };

  it('says nothing when the top level only defines things', () => {
    expect(describeInit(quiet)).toEqual([]);
  });

  it("counts the configuration read, apart from Lambda's, Node's and the SDK's own variables", () => {
    const notes = describeInit({
      ...quiet,
      envRead: ['PROFILE_TABLE_NAME', 'QUIET_HOURS', 'AWS_REGION', 'LAMBDA_TASK_ROOT', 'HOME', 'POWERTOOLS_SERVICE_NAME', 'PROFILE_TABLE_NAME'],
      configured: ['PROFILE_TABLE_NAME', 'AWS_REGION'],
    });

    expect(notes).toEqual(['parses its configuration at import (1 variable set, 1 unset)']);
  });

  it('groups the files read by their folder', () => {
    const notes = describeInit({
      ...quiet,
      files: ['knowledge-base', 'knowledge-base/returns.yaml', 'knowledge-base/shipping.yaml', 'synonyms.yaml', 'synonyms.yaml'],
    });

    expect(notes).toEqual(['reads files at import: knowledge-base/ (2), synonyms.yaml']);
  });

  it("names the runtime's SDK clients a load reads, apart from the bundle's own files", () => {
    const notes = describeInit({
      ...quiet,
      files: [
        'synonyms.yaml',
        '../node_modules/@aws-sdk/client-dynamodb/dist-cjs/index.js',
        '../node_modules/@smithy/core/dist-cjs/index.js',
        '../../repo/node_modules/@aws-sdk/lib-dynamodb/dist-cjs/index.js',
        '../node_modules/@aws-sdk/client-dynamodb/dist-cjs/index.js',
      ],
    });

    expect(notes).toEqual(['reads files at import: synonyms.yaml', "loads the runtime's AWS SDK: client-dynamodb, lib-dynamodb (3 files)"]);
  });

  it('notes a secret reference that is read but not fetched', () => {
    const notes = describeInit({ ...quiet, envRead: ['SIGNING_SECRET_ARN'], configured: ['SIGNING_SECRET_ARN'] });

    expect(notes).toContain('SIGNING_SECRET_ARN: only the reference is read at import; the secret is fetched later');
  });

  it('reports connections tried at import, once each', () => {
    const notes = describeInit({ ...quiet, envRead: ['SIGNING_SECRET_ARN'], configured: ['SIGNING_SECRET_ARN'], network: ['127.0.0.1:9', '127.0.0.1:9'] });

    expect(notes).toEqual(['parses its configuration at import (1 variable set, 0 unset)', 'tries the network at import (refused): 127.0.0.1:9']);
  });
});

describe('results table', () => {
  const result = (fn: string, bytes: number, initMs: number, notes: string[] = []): BundleResult => ({
    function: fn,
    bytes,
    zipBytes: Math.round(bytes / 4),
    initMs,
    notes,
  });

  it('puts each function against the baseline, in size and init time', () => {
    const table = formatTable([result('record-event', 800 * 1024, 150), result(BASELINE_NAME, 200 * 1024, 50)], 15);
    const [header, rule, row] = table.split('\n');

    expect(header).toContain('init ms (median of 15)');
    expect(rule).toMatch(/^-+( +-+)+$/);
    expect(row).toMatch(/^record-event +800 KB +200 KB +150\.0 +4\.0× +3\.0×$/);
  });

  it('leaves the ratios empty without a baseline and lists the notes under the table', () => {
    const table = formatTable([result('answer-support', 1024, 90, ['reads files at import: knowledge-base/ (36)'])], 3);

    expect(table.split('\n')[2]).toMatch(/^answer-support +1 KB +256 B +90\.0$/);
    expect(table).toContain('At import time:\n  answer-support: reads files at import: knowledge-base/ (36)');
  });

  it('adds the CPU time of the loads, against the baseline, when it was measured', () => {
    const withCpu = (fn: string, initMs: number, initCpuMs: number): BundleResult => ({ ...result(fn, 100 * 1024, initMs), initCpuMs });
    const table = formatTable([withCpu('record-event', 150, 90), withCpu(BASELINE_NAME, 50, 60)], 15);
    const [header, , row] = table.split('\n');

    expect(header).toMatch(/init vs base +init CPU ms +CPU vs base$/);
    expect(row).toMatch(/ +150\.0 +1\.0× +3\.0× +90\.0 +1\.5×$/);
  });

  it('shows a dash for a time that could not be measured', () => {
    expect(formatTable([result('unsubscribe', 10, Number.NaN)], 1).split('\n')[2]).toMatch(/ —$/);
  });
});
