import { describe, expect, it } from 'vitest';
import { translateJourney, type JourneyContext, type JourneyResponse } from '#cli/import/pinpoint/index.ts';

const context: JourneyContext = {
  segments: (id) => (id === 'seg-vip' ? { attribute: 'tier', equals: 'vip' } : undefined),
  segmentNames: new Map([
    ['seg-vip', 'vips'],
    ['seg-list', 'uploaded-list'],
  ]),
  templates: new Map([['Hello_There', { name: 'hello-there', fromProfile: { attributes: 'attributes' }, blocked: false }]]),
  topic: 'offers',
};

const journey = (overrides: Partial<JourneyResponse>): JourneyResponse => ({
  Id: 'j1',
  Name: 'Spring Campaign',
  StartCondition: { SegmentStartCondition: { SegmentId: 'seg-vip' } },
  StartActivity: 'a',
  Activities: { a: { EMAIL: { TemplateName: 'Hello_There' } } },
  ...overrides,
});

const send = (id: string, template = 'hello-there') => ({
  id,
  send: { template, kind: 'marketing', topic: 'offers', ...(template === 'hello-there' && { personalize: { fromProfile: { attributes: 'attributes' } } }) },
});

describe('Pinpoint journeys as journey files', () => {
  it('translates email, wait, holdout and a yes/no split evaluated later into steps', () => {
    const translated = translateJourney(
      journey({
        StartActivity: 'mail',
        Activities: {
          mail: { EMAIL: { TemplateName: 'Hello_There', NextActivity: 'pause' } },
          pause: { Wait: { WaitTime: { WaitFor: 'PT36H' }, NextActivity: 'opened' } },
          opened: {
            ConditionalSplit: {
              Condition: {
                Operator: 'ANY',
                Conditions: [
                  {
                    EventCondition: {
                      Dimensions: { EventType: { DimensionType: 'INCLUSIVE', Values: ['_email.open', '_email.click'] } },
                      MessageActivity: 'mail',
                    },
                  },
                  { SegmentCondition: { SegmentId: 'seg-vip' } },
                ],
              },
              EvaluationWaitTime: { WaitFor: 'P1D' },
              FalseActivity: 'hold',
            },
          },
          hold: { Holdout: { Percentage: 25, NextActivity: 'again' } },
          again: { EMAIL: { TemplateName: 'Hello_There' } },
        },
      }),
      context,
      new Set(),
    );

    expect(translated.definition?.steps).toEqual([
      send('mail'),
      { id: 'pause', wait: { for: '36h' } },
      { id: 'opened-wait', wait: { for: '1d' } },
      {
        id: 'opened',
        branch: {
          if: { not: { any: [{ any: [{ event: 'email.opened' }, { event: 'email.clicked' }] }, { attribute: 'tier', equals: 'vip' }] } },
          then: [{ id: 'hold', holdout: { percent: 25 } }, send('again')],
        },
      },
    ]);
    expect(translated.definition?.notDeployable).toBeUndefined();
  });

  it('nests a multivariate split as branches, the first that holds taken, the default last', () => {
    const translated = translateJourney(
      journey({
        StartActivity: 'pick',
        Activities: {
          pick: {
            MultiCondition: {
              Branches: [
                { Condition: { SegmentCondition: { SegmentId: 'seg-vip' } }, NextActivity: 'vip' },
                { Condition: { SegmentDimensions: { Attributes: { lang: { Values: ['ko'] } } } }, NextActivity: 'korean' },
              ],
              DefaultActivity: 'others',
            },
          },
          vip: { EMAIL: { TemplateName: 'Hello_There' } },
          korean: { EMAIL: { TemplateName: 'Hello_There' } },
          others: { EMAIL: { TemplateName: 'Hello_There' } },
        },
      }),
      context,
      new Set(),
    );

    expect(translated.definition?.steps).toEqual([
      {
        id: 'pick',
        branch: {
          if: { attribute: 'tier', equals: 'vip' },
          then: [send('vip')],
          else: [{ id: 'pick-2', branch: { if: { attribute: 'lang', equals: 'ko' }, then: [send('korean')], else: [send('others')] } }],
        },
      },
    ]);
  });

  it('makes the random paths that end at once a holdout, and shares the rest among the others', () => {
    const translated = translateJourney(
      journey({
        StartActivity: 'ab',
        Activities: {
          ab: { RandomSplit: { Branches: [{ Percentage: 40, NextActivity: 'x' }, { Percentage: 40, NextActivity: 'y' }, { Percentage: 20 }] } },
          x: { EMAIL: { TemplateName: 'Hello_There' } },
          y: { EMAIL: { TemplateName: 'Hello_There' } },
        },
      }),
      context,
      new Set(),
    );

    expect(translated.definition?.steps).toEqual([
      { id: 'ab-holdout', holdout: { percent: 20 } },
      {
        id: 'ab',
        split: {
          variants: [
            { name: 'path-1', percent: 50, steps: [send('x')] },
            { name: 'path-2', percent: 50, steps: [send('y')] },
          ],
        },
      },
    ]);
  });

  it('gives each path that reaches the same activity its own copy, with its own step ids', () => {
    const translated = translateJourney(
      journey({
        StartActivity: 'split',
        Activities: {
          split: {
            ConditionalSplit: { Condition: { Conditions: [{ SegmentCondition: { SegmentId: 'seg-vip' } }] }, TrueActivity: 'end', FalseActivity: 'end' },
          },
          end: { EMAIL: { TemplateName: 'Hello_There' } },
        },
      }),
      context,
      new Set(),
    );

    expect(translated.definition?.steps).toEqual([
      { id: 'split', branch: { if: { attribute: 'tier', equals: 'vip' }, then: [send('end')], else: [send('end-2')] } },
    ]);
  });

  it('translates the start condition, re-entry, caps, and notes quiet time and the sending rate', () => {
    const translated = translateJourney(
      journey({
        StartCondition: {
          EventStartCondition: {
            EventFilter: {
              Dimensions: {
                EventType: { DimensionType: 'INCLUSIVE', Values: ['_monetization.purchase'] },
                Metrics: { total: { ComparisonOperator: 'GREATER_THAN', Value: 100 } },
              },
            },
            SegmentId: 'seg-vip',
          },
        },
        Limits: { EndpointReentryCap: 0, EndpointReentryInterval: 'PT12H', DailyCap: 1, MessagesPerSecond: 20 },
        QuietTime: { Start: '21:30', End: '08:00' },
      }),
      context,
      new Set(),
    );

    expect(translated.definition).toMatchObject({
      name: 'spring-campaign',
      trigger: { event: 'order.placed', filter: { total: [{ numeric: ['>', 100] }] }, profile: { attribute: 'tier', equals: 'vip' } },
      entry: { reentry: { after: '12h' } },
      frequencyCap: { max: 1, windowDays: 1 },
    });
    expect(translated.issues.map((issue) => [issue.at, issue.blocking])).toEqual([
      ['StartCondition', false],
      ['Limits.MessagesPerSecond', false],
      ['QuietTime', false],
    ]);
    expect(translated.issues.find((issue) => issue.at === 'QuietTime')?.message).toContain('-c quietHours=21:30-08:00');
  });

  it('marks the journey not deployable, with each reason, for what it cannot translate, and still writes a valid file', () => {
    const translated = translateJourney(
      journey({
        StartCondition: { SegmentStartCondition: { SegmentId: 'seg-list' } },
        Limits: { EndpointReentryCap: 3 },
        StartActivity: 'push',
        Activities: {
          push: { PUSH: { NextActivity: 'until' } } as never,
          until: { Wait: { WaitTime: { WaitUntil: '2026-12-24T09:00:00Z' }, NextActivity: 'mail' } },
          mail: { EMAIL: { TemplateName: 'Hello_There', NextActivity: 'big' } },
          big: { Holdout: { Percentage: 60 } },
        },
        OpenHours: { EMAIL: {} },
      }),
      context,
      new Set(),
    );

    expect(translated.definition?.notDeployable).toEqual([
      'activity "push": sends by PUSH, and this system sends email only',
      'activity "until": waits until the fixed time 2026-12-24T09:00:00Z: waits here are durations, times of day or a date in a profile attribute',
      'activity "big": holds out 60%: a holdout here is at most 50%',
      'StartCondition: segment uploaded-list could not be translated (see its report)',
      'Limits.EndpointReentryCap: at most 3 entries: re-entry here is never, always or after a time, without a count',
      'OpenHours: sending only in open hours has no counterpart (quiet hours are the stack-wide one)',
    ]);
    expect(translated.definition?.steps).toEqual([send('mail')]);
    expect(translated.definition?.trigger).toEqual({ segment: 'uploaded-list' });
  });

  it('names each journey once, whatever Pinpoint called them', () => {
    const taken = new Set<string>();

    const names = [
      translateJourney(journey({ Name: 'Welcome!' }), context, taken).name,
      translateJourney(journey({ Name: 'welcome' }), context, taken).name,
      translateJourney(journey({ Name: '2027 sale' }), context, taken).name,
    ];

    expect(names).toEqual(['welcome', 'welcome-2', 'journey-2027-sale']);
  });
});
