import { describe, expect, it } from 'vitest';
import { translateSegments } from '#cli/import/pinpoint/index.ts';

describe('Pinpoint segments as segment files', () => {
  it('turns attribute, metric, recency, channel and country dimensions into one condition', () => {
    const [segment] = translateSegments([
      {
        Id: 's1',
        Name: 'Big spenders (KR)',
        Dimensions: {
          UserAttributes: { plan: { AttributeType: 'INCLUSIVE', Values: ['gold', 'platinum'] } },
          Attributes: { 'Favorite-Color': { AttributeType: 'EXCLUSIVE', Values: ['red'] }, bio: { AttributeType: 'CONTAINS', Values: ['runner'] } },
          Metrics: { orders: { ComparisonOperator: 'GREATER_THAN_OR_EQUAL', Value: 3 } },
          Behavior: { Recency: { Duration: 'DAY_14', RecencyType: 'INACTIVE' } },
          Demographic: { Channel: { DimensionType: 'INCLUSIVE', Values: ['EMAIL'] } },
          Location: { Country: { DimensionType: 'INCLUSIVE', Values: ['KR'] } },
        },
      },
    ]);

    expect(segment?.name).toBe('big-spenders-kr');
    expect(segment?.segment).toEqual({
      name: 'big-spenders-kr',
      description: 'Imported from the Pinpoint segment "Big spenders (KR)" (s1).',
      conditions: {
        all: [
          { not: { attribute: 'Favorite_Color', equals: 'red' } },
          { attribute: 'bio', contains: 'runner' },
          { attribute: 'plan', in: ['gold', 'platinum'] },
          { attribute: 'orders', gte: 3 },
          { lastActive: { olderThanDays: 14 } },
          { attribute: 'country', equals: 'KR' },
        ],
      },
    });
    expect(segment?.issues.every((issue) => !issue.blocking)).toBe(true);
  });

  it('takes in the conditions of source segments, whatever the order of the files, and combines groups', () => {
    const [composite, base] = translateSegments([
      {
        Id: 'combined',
        Name: 'Gold with SMS',
        SegmentGroups: {
          Include: 'ANY',
          Groups: [
            {
              SourceType: 'ALL',
              SourceSegments: [{ Id: 'gold' }],
              Type: 'ALL',
              Dimensions: [{ Demographic: { Channel: { DimensionType: 'INCLUSIVE', Values: ['SMS'] } } }],
            },
            { Type: 'NONE', Dimensions: [{ UserAttributes: { plan: { Values: ['free'] } } }] },
          ],
        },
      },
      { Id: 'gold', Name: 'Gold', Dimensions: { UserAttributes: { plan: { AttributeType: 'INCLUSIVE', Values: ['gold'] } } } },
    ]);

    expect(base?.segment?.conditions).toEqual({ attribute: 'plan', equals: 'gold' });
    expect(composite?.segment?.conditions).toEqual({
      any: [
        {
          all: [
            { attribute: 'plan', equals: 'gold' },
            { attribute: 'smsAddress', exists: true },
          ],
        },
        { not: { attribute: 'plan', equals: 'free' } },
      ],
    });
  });

  it('writes no file for what it cannot state as a condition, and says why', () => {
    const [imported, device, dated] = translateSegments([
      { Id: 'i', Name: 'Uploaded list', SegmentType: 'IMPORT' },
      { Id: 'd', Name: 'iPhone users', Dimensions: { Demographic: { Platform: { DimensionType: 'INCLUSIVE', Values: ['ios'] } } } },
      { Id: 't', Name: 'Signed up late', Dimensions: { UserAttributes: { signedUp: { AttributeType: 'AFTER', Values: ['2026-01-01T00:00:00Z'] } } } },
    ]);

    expect(imported?.segment).toBeUndefined();
    expect(imported?.issues.find((issue) => issue.blocking)?.message).toContain('an imported segment is a list of endpoints');
    expect(device?.segment).toBeUndefined();
    expect(device?.issues.find((issue) => issue.blocking)?.at).toBe('Dimensions Demographic.Platform');
    expect(dated?.segment).toBeUndefined();
    expect(dated?.issues.find((issue) => issue.blocking)?.message).toContain('compared AFTER');
  });

  it('is everyone when Pinpoint names no dimension', () => {
    const [all] = translateSegments([{ Id: 'a', Name: 'All users' }]);

    expect(all?.segment?.conditions).toEqual({ stage: ['discover', 'research', 'buy', 'use', 'support', 'retain'] });
  });

  it('gives a segment another name when one of another format has it already', () => {
    const [segment] = translateSegments([{ Id: 'a', Name: 'At risk' }], new Set(['at-risk']));

    expect(segment?.name).toBe('at-risk-2');
  });
});
