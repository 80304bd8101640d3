/**
 * The shapes of what Amazon Pinpoint exports, as its API reference gives them: an endpoint (one
 * line of an export job's file), GetSegment's SegmentResponse, GetJourney's JourneyResponse and
 * GetEmailTemplate's EmailTemplateResponse. Only the fields the import reads are named; the rest
 * pass through, so a newer export still reads.
 */
import * as z from 'zod';

const strings = z.array(z.string());
const stringLists = z.record(z.string(), strings);

export const Endpoint = z.looseObject({
  Id: z.string(),
  ChannelType: z.string(),
  Address: z.string().optional(),
  EndpointStatus: z.string().optional(),
  OptOut: z.string().optional(),
  EffectiveDate: z.string().optional(),
  CreationDate: z.string().optional(),
  Attributes: stringLists.optional(),
  Metrics: z.record(z.string(), z.number()).optional(),
  Demographic: z.looseObject({ Locale: z.string().optional(), Timezone: z.string().optional() }).optional(),
  Location: z
    .looseObject({ City: z.string().optional(), Country: z.string().optional(), Region: z.string().optional(), PostalCode: z.string().optional() })
    .optional(),
  User: z.looseObject({ UserId: z.string().optional(), UserAttributes: stringLists.optional() }).optional(),
});
export type Endpoint = z.infer<typeof Endpoint>;

const SetDimension = z.looseObject({ DimensionType: z.string().optional(), Values: strings });
const AttributeDimension = z.looseObject({ AttributeType: z.string().optional(), Values: strings });
const MetricDimension = z.looseObject({ ComparisonOperator: z.string(), Value: z.number() });

export const SegmentDimensions = z.looseObject({
  Attributes: z.record(z.string(), AttributeDimension).optional(),
  UserAttributes: z.record(z.string(), AttributeDimension).optional(),
  Metrics: z.record(z.string(), MetricDimension).optional(),
  Behavior: z.looseObject({ Recency: z.looseObject({ Duration: z.string(), RecencyType: z.string() }).optional() }).optional(),
  Demographic: z.record(z.string(), SetDimension).optional(),
  Location: z.looseObject({ Country: SetDimension.optional(), GPSPoint: z.unknown().optional() }).optional(),
});
export type SegmentDimensions = z.infer<typeof SegmentDimensions>;

const SegmentReference = z.looseObject({ Id: z.string(), Version: z.number().optional() });

export const SegmentGroup = z.looseObject({
  Dimensions: z.array(SegmentDimensions).optional(),
  SourceSegments: z.array(SegmentReference).optional(),
  SourceType: z.string().optional(),
  Type: z.string().optional(),
});
export type SegmentGroup = z.infer<typeof SegmentGroup>;

export const SegmentResponse = z.looseObject({
  Id: z.string(),
  Name: z.string().optional(),
  SegmentType: z.string().optional(),
  Dimensions: SegmentDimensions.optional(),
  SegmentGroups: z.looseObject({ Groups: z.array(SegmentGroup).optional(), Include: z.string().optional() }).optional(),
  ImportDefinition: z.unknown().optional(),
});
export type SegmentResponse = z.infer<typeof SegmentResponse>;

const EventDimensions = z.looseObject({
  EventType: SetDimension.optional(),
  Attributes: z.record(z.string(), AttributeDimension).optional(),
  Metrics: z.record(z.string(), MetricDimension).optional(),
});
export type EventDimensions = z.infer<typeof EventDimensions>;

export const SimpleCondition = z.looseObject({
  EventCondition: z.looseObject({ Dimensions: EventDimensions.optional(), MessageActivity: z.string().optional() }).optional(),
  SegmentCondition: z.looseObject({ SegmentId: z.string() }).optional(),
  SegmentDimensions: SegmentDimensions.optional(),
});
export type SimpleCondition = z.infer<typeof SimpleCondition>;

const WaitTime = z.looseObject({ WaitFor: z.string().optional(), WaitUntil: z.string().optional() });
export type WaitTime = z.infer<typeof WaitTime>;

export const Activity = z.looseObject({
  Description: z.string().optional(),
  EMAIL: z
    .looseObject({
      NextActivity: z.string().optional(),
      TemplateName: z.string().optional(),
      TemplateVersion: z.string().optional(),
      MessageConfig: z.looseObject({ FromAddress: z.string().optional() }).optional(),
    })
    .optional(),
  Wait: z.looseObject({ NextActivity: z.string().optional(), WaitTime: WaitTime.optional() }).optional(),
  ConditionalSplit: z
    .looseObject({
      Condition: z.looseObject({ Conditions: z.array(SimpleCondition).optional(), Operator: z.string().optional() }).optional(),
      EvaluationWaitTime: WaitTime.optional(),
      TrueActivity: z.string().optional(),
      FalseActivity: z.string().optional(),
    })
    .optional(),
  MultiCondition: z
    .looseObject({
      Branches: z.array(z.looseObject({ Condition: SimpleCondition.optional(), NextActivity: z.string().optional() })).optional(),
      DefaultActivity: z.string().optional(),
      EvaluationWaitTime: WaitTime.optional(),
    })
    .optional(),
  RandomSplit: z
    .looseObject({ Branches: z.array(z.looseObject({ NextActivity: z.string().optional(), Percentage: z.number().optional() })).optional() })
    .optional(),
  Holdout: z.looseObject({ NextActivity: z.string().optional(), Percentage: z.number() }).optional(),
});
export type Activity = z.infer<typeof Activity>;

export const JourneyResponse = z.looseObject({
  Id: z.string(),
  Name: z.string(),
  Activities: z.record(z.string(), Activity).optional(),
  StartActivity: z.string().optional(),
  StartCondition: z
    .looseObject({
      Description: z.string().optional(),
      SegmentStartCondition: z.looseObject({ SegmentId: z.string() }).optional(),
      EventStartCondition: z
        .looseObject({
          EventFilter: z.looseObject({ Dimensions: EventDimensions.optional(), FilterType: z.string().optional() }).optional(),
          SegmentId: z.string().optional(),
        })
        .optional(),
    })
    .optional(),
  Limits: z
    .looseObject({
      DailyCap: z.number().optional(),
      EndpointReentryCap: z.number().optional(),
      EndpointReentryInterval: z.string().optional(),
      MessagesPerSecond: z.number().optional(),
      TotalCap: z.number().optional(),
      TimeframeCap: z.looseObject({ Cap: z.number().optional(), Days: z.number().optional() }).optional(),
    })
    .optional(),
  QuietTime: z.looseObject({ Start: z.string().optional(), End: z.string().optional() }).optional(),
  RefreshFrequency: z.string().optional(),
  Schedule: z.looseObject({ StartTime: z.string().optional(), EndTime: z.string().optional(), Timezone: z.string().optional() }).optional(),
  State: z.string().optional(),
  OpenHours: z.unknown().optional(),
  ClosedDays: z.unknown().optional(),
});
export type JourneyResponse = z.infer<typeof JourneyResponse>;

export const EmailTemplateResponse = z.looseObject({
  TemplateName: z.string(),
  Subject: z.string().optional(),
  HtmlPart: z.string().optional(),
  TextPart: z.string().optional(),
  DefaultSubstitutions: z.string().optional(),
  TemplateDescription: z.string().optional(),
});
export type EmailTemplateResponse = z.infer<typeof EmailTemplateResponse>;
