/**
 * The event catalog: every event type the system accepts or emits, the stage (or other owner)
 * that handles it, and the zod schema of each version of its detail. Detail-type names are part
 * of the public contract: add to them, never rename.
 */
import type * as z from 'zod';
import type { Stage } from '../stages/stages.ts';
import { envelope } from './envelope.ts';
import { campaignTouchedV1, leadCapturedV1 } from './types/discover.ts';
import { cartV1, contentViewedV1, productViewedV1 } from './types/research.ts';
import { orderDelayedV1, orderDeliveredV1, orderPlacedV1, orderShippedV1, paymentFailedV1 } from './types/buy.ts';
import { productActivatedV1, usageRecordedV1 } from './types/use.ts';
import { supportRequestedV1, supportResolvedV1 } from './types/support.ts';
import { subscriptionV1, surveyRespondedV1 } from './types/retain.ts';
import { consentUpdatedV1, profileUpdatedV1 } from './types/profile.ts';
import { journeyLaunchRequestedV1 } from './types/marketing.ts';
import { customerErasedV1, customerErasureRequestedV1 } from './types/privacy.ts';
import {
  emailBouncedV1,
  emailClickedV1,
  emailComplainedV1,
  emailDeliveredV1,
  emailOpenedV1,
  outreachSentV1,
  outreachSkippedV1,
  stageChangedV1,
  supportEscalatedV1,
} from './types/system.ts';

/** The `Source` of every event the system emits itself. */
export const LIFECYCLE_SOURCE = 'lifecycle';

/** Detail-type names, written once: CDK rules, handlers and producers all import them from here. */
export const DetailTypes = {
  LeadCaptured: 'lead.captured',
  CampaignTouched: 'campaign.touched',
  ProductViewed: 'product.viewed',
  ContentViewed: 'content.viewed',
  CartUpdated: 'cart.updated',
  CheckoutStarted: 'checkout.started',
  OrderPlaced: 'order.placed',
  PaymentFailed: 'payment.failed',
  OrderShipped: 'order.shipped',
  OrderDelayed: 'order.delayed',
  OrderDelivered: 'order.delivered',
  ProductActivated: 'product.activated',
  UsageRecorded: 'usage.recorded',
  SupportRequested: 'support.requested',
  SupportResolved: 'support.resolved',
  SurveyResponded: 'survey.responded',
  SubscriptionRenewed: 'subscription.renewed',
  SubscriptionCancelled: 'subscription.cancelled',
  ProfileUpdated: 'profile.updated',
  ConsentUpdated: 'consent.updated',
  JourneyLaunchRequested: 'journey.launch.requested',
  CustomerErasureRequested: 'customer.erasure.requested',
  CustomerStageChanged: 'customer.stage.changed',
  OutreachSent: 'outreach.sent',
  OutreachSkipped: 'outreach.skipped',
  EmailDelivered: 'email.delivered',
  EmailBounced: 'email.bounced',
  EmailComplained: 'email.complained',
  EmailOpened: 'email.opened',
  EmailClicked: 'email.clicked',
  SupportEscalated: 'support.escalated',
  CustomerErased: 'customer.erased',
} as const;

export type DetailType = (typeof DetailTypes)[keyof typeof DetailTypes];

/**
 * Who handles an event type: one of the stages (its stage workflow records it), `profile` (the
 * profile workflow), `marketing` (the journey launcher), `privacy` (the erasure function) or
 * `system` (emitted by the system itself, Source `lifecycle` only).
 */
export type Owner = Stage | 'profile' | 'marketing' | 'privacy' | 'system';

interface EventDefinition<O extends Owner, V extends Readonly<Record<number, z.ZodType>>> {
  readonly owner: O;
  /** The detail schema of each version, by version number. */
  readonly versions: V;
}

function defineEvent<const O extends Owner, const V extends Readonly<Record<number, z.ZodType>>>(owner: O, versions: V): EventDefinition<O, V> {
  return { owner, versions };
}

export const catalog = {
  [DetailTypes.LeadCaptured]: defineEvent('discover', { 1: envelope(1, leadCapturedV1) }),
  [DetailTypes.CampaignTouched]: defineEvent('discover', { 1: envelope(1, campaignTouchedV1) }),
  [DetailTypes.ProductViewed]: defineEvent('research', { 1: envelope(1, productViewedV1) }),
  [DetailTypes.ContentViewed]: defineEvent('research', { 1: envelope(1, contentViewedV1) }),
  [DetailTypes.CartUpdated]: defineEvent('research', { 1: envelope(1, cartV1) }),
  [DetailTypes.CheckoutStarted]: defineEvent('buy', { 1: envelope(1, cartV1) }),
  [DetailTypes.OrderPlaced]: defineEvent('buy', { 1: envelope(1, orderPlacedV1) }),
  [DetailTypes.PaymentFailed]: defineEvent('buy', { 1: envelope(1, paymentFailedV1) }),
  [DetailTypes.OrderShipped]: defineEvent('buy', { 1: envelope(1, orderShippedV1) }),
  [DetailTypes.OrderDelayed]: defineEvent('buy', { 1: envelope(1, orderDelayedV1) }),
  [DetailTypes.OrderDelivered]: defineEvent('buy', { 1: envelope(1, orderDeliveredV1) }),
  [DetailTypes.ProductActivated]: defineEvent('use', { 1: envelope(1, productActivatedV1) }),
  [DetailTypes.UsageRecorded]: defineEvent('use', { 1: envelope(1, usageRecordedV1) }),
  [DetailTypes.SupportRequested]: defineEvent('support', { 1: envelope(1, supportRequestedV1) }),
  [DetailTypes.SupportResolved]: defineEvent('support', { 1: envelope(1, supportResolvedV1) }),
  [DetailTypes.SurveyResponded]: defineEvent('retain', { 1: envelope(1, surveyRespondedV1) }),
  [DetailTypes.SubscriptionRenewed]: defineEvent('retain', { 1: envelope(1, subscriptionV1) }),
  [DetailTypes.SubscriptionCancelled]: defineEvent('retain', { 1: envelope(1, subscriptionV1) }),
  [DetailTypes.ProfileUpdated]: defineEvent('profile', { 1: envelope(1, profileUpdatedV1) }),
  [DetailTypes.ConsentUpdated]: defineEvent('profile', { 1: envelope(1, consentUpdatedV1) }),
  [DetailTypes.JourneyLaunchRequested]: defineEvent('marketing', { 1: envelope(1, journeyLaunchRequestedV1) }),
  [DetailTypes.CustomerErasureRequested]: defineEvent('privacy', { 1: envelope(1, customerErasureRequestedV1) }),
  [DetailTypes.CustomerStageChanged]: defineEvent('system', { 1: envelope(1, stageChangedV1) }),
  [DetailTypes.OutreachSent]: defineEvent('system', { 1: envelope(1, outreachSentV1) }),
  [DetailTypes.OutreachSkipped]: defineEvent('system', { 1: envelope(1, outreachSkippedV1) }),
  [DetailTypes.EmailDelivered]: defineEvent('system', { 1: envelope(1, emailDeliveredV1) }),
  [DetailTypes.EmailBounced]: defineEvent('system', { 1: envelope(1, emailBouncedV1) }),
  [DetailTypes.EmailComplained]: defineEvent('system', { 1: envelope(1, emailComplainedV1) }),
  [DetailTypes.EmailOpened]: defineEvent('system', { 1: envelope(1, emailOpenedV1) }),
  [DetailTypes.EmailClicked]: defineEvent('system', { 1: envelope(1, emailClickedV1) }),
  [DetailTypes.SupportEscalated]: defineEvent('system', { 1: envelope(1, supportEscalatedV1) }),
  [DetailTypes.CustomerErased]: defineEvent('system', { 1: envelope(1, customerErasedV1) }),
} as const satisfies Record<DetailType, EventDefinition<Owner, Readonly<Record<number, z.ZodType>>>>;

type Versions<T extends DetailType> = (typeof catalog)[T]['versions'];

/** The detail of an event type, any supported version. */
export type EventDetail<T extends DetailType> = z.output<Versions<T>[keyof Versions<T>]>;

/** What a producer writes: like the detail, with defaults not yet applied. */
export type EventDetailInput<T extends DetailType> = z.input<Versions<T>[keyof Versions<T>]>;

/** A validated event: detail-type, source and detail, narrowed together by `detailType`. */
export type CatalogEvent = {
  [T in DetailType]: { readonly detailType: T; readonly source: string; readonly detail: EventDetail<T> };
}[DetailType];

/** Narrows a catalog event to one detail-type. */
export type EventOf<T extends DetailType> = Extract<CatalogEvent, { detailType: T }>;

export const DETAIL_TYPES = Object.keys(catalog) as DetailType[];

export function isDetailType(value: unknown): value is DetailType {
  return typeof value === 'string' && Object.hasOwn(catalog, value);
}

/** The event types an owner handles, in catalog order. */
export function detailTypesOf(owner: Owner): DetailType[] {
  return DETAIL_TYPES.filter((detailType) => catalog[detailType].owner === owner);
}

export function ownerOf(detailType: DetailType): Owner {
  return catalog[detailType].owner;
}

/** The versions of an event type's detail schema, newest last. */
export function versionsOf(detailType: DetailType): number[] {
  return Object.keys(catalog[detailType].versions)
    .map(Number)
    .sort((a, b) => a - b);
}

export function detailSchema(detailType: DetailType, version: number): z.ZodType | undefined {
  const versions: Readonly<Record<number, z.ZodType>> = catalog[detailType].versions;
  return versions[version];
}
