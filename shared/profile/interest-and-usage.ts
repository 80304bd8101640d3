/**
 * What research and use events teach the profile: category interests that fade (views, carts,
 * orders), an engagement score, the products viewed lately (for "viewed together"
 * recommendations), and product usage — activations, usage by day, milestones reached and whether
 * usage is declining. The arithmetic is in shared/scoring; this module decides which event feeds
 * what, and how two profiles' facts merge.
 */
import { DetailTypes, type CatalogEvent } from '../events/catalog.ts';
import { accumulate } from '../scoring/decay.ts';
import { ENGAGEMENT_HALF_LIFE_DAYS, engagementScore, isEngagementEvent, recordEngagement, type Engagement } from '../scoring/engagement.ts';
import { addInterest, addInterestSignal, type Interests } from '../scoring/interests.ts';
import { isDeclining, milestonesReached, recordUsage, type Milestone, type UsageDays } from '../scoring/usage.ts';

/**
 * Usage by day as it is stored: the first day and one quantity a day from it (0 for days without
 * use). Dense numbers pack far smaller than a map keyed by date, and the profile must stay small.
 */
export interface DenseUsage {
  readonly from: string;
  readonly quantities: readonly number[];
}

export function toDense(days: UsageDays): DenseUsage | undefined {
  const keys = Object.keys(days).sort();
  const from = keys[0];
  if (from === undefined) return undefined;
  const span = Math.round((Date.parse(keys.at(-1) ?? from) - Date.parse(from)) / 86_400_000) + 1;
  const quantities = Array.from({ length: span }, (_, n) => days[new Date(Date.parse(from) + n * 86_400_000).toISOString().slice(0, 10)] ?? 0);
  return { from, quantities };
}

export function fromDense(dense: DenseUsage | undefined): UsageDays {
  if (!dense) return {};
  const days: Record<string, number> = {};
  dense.quantities.forEach((quantity, n) => {
    if (quantity > 0) days[new Date(Date.parse(dense.from) + n * 86_400_000).toISOString().slice(0, 10)] = quantity;
  });
  return days;
}

export interface ProductUsage {
  readonly days?: DenseUsage;
  /** `product.activated` events so far. */
  readonly activations: number;
  readonly activatedProducts: readonly string[];
  readonly milestones: readonly Milestone[];
  /** Usage in the last 30 days under half of the 30 before, as of the latest usage. */
  readonly declining: boolean;
}

export interface InterestFacts {
  readonly interests?: Interests;
  readonly engagement?: Engagement;
  /** Products viewed lately, most recent first. */
  readonly recentViews?: readonly string[];
  readonly usage?: ProductUsage;
}

export const RECENT_VIEWS_LIMIT = 6;
const ACTIVATED_PRODUCTS_LIMIT = 5;

const categoriesOf = (items: readonly { readonly category?: string | undefined }[]): string[] => [
  ...new Set(items.flatMap((item) => (item.category ? [item.category] : []))),
];

function interestsFrom(interests: Interests | undefined, event: CatalogEvent, at: string): Interests | undefined {
  const current = interests ?? {};
  switch (event.detailType) {
    case DetailTypes.ProductViewed:
      return event.detail.data.category ? addInterestSignal(current, event.detail.data.category, 'product.viewed', at) : interests;
    case DetailTypes.ContentViewed:
      return event.detail.data.topic ? addInterestSignal(current, event.detail.data.topic, 'content.viewed', at) : interests;
    case DetailTypes.CartUpdated:
    case DetailTypes.OrderPlaced: {
      const signal = event.detailType === DetailTypes.CartUpdated ? 'cart.updated' : 'order.placed';
      const categories = categoriesOf(event.detail.data.items);
      return categories.length === 0 ? interests : categories.reduce((next, category) => addInterestSignal(next, category, signal, at), current);
    }
    default:
      return interests;
  }
}

function usageFrom(usage: ProductUsage | undefined, event: CatalogEvent, at: string): ProductUsage | undefined {
  if (event.detailType !== DetailTypes.UsageRecorded && event.detailType !== DetailTypes.ProductActivated) return usage;
  const current: ProductUsage = usage ?? { activations: 0, activatedProducts: [], milestones: [], declining: false };
  const before = fromDense(current.days);
  const days = event.detailType === DetailTypes.UsageRecorded ? recordUsage(before, at, event.detail.data.quantity ?? 1) : before;
  const activations = current.activations + (event.detailType === DetailTypes.ProductActivated ? 1 : 0);
  const activatedProducts =
    event.detailType === DetailTypes.ProductActivated
      ? [event.detail.data.productId, ...current.activatedProducts.filter((id) => id !== event.detail.data.productId)].slice(0, ACTIVATED_PRODUCTS_LIMIT)
      : current.activatedProducts;
  // Milestones once reached stay reached, even when old usage rolls out of the window.
  const milestones = [...new Set([...current.milestones, ...milestonesReached({ activations, usage: days })])];
  const dense = toDense(days);
  return { ...(dense && { days: dense }), activations, activatedProducts, milestones, declining: isDeclining(days, at) };
}

/** The facts after one event, and the engagement score to keep in `scores.engagement`. */
export function applyInterestFacts(facts: InterestFacts, event: CatalogEvent, at: string): InterestFacts & { readonly engagementScore?: number } {
  const interests = interestsFrom(facts.interests, event, at);
  const engagement = isEngagementEvent(event.detailType) ? recordEngagement(facts.engagement, event.detailType, at) : facts.engagement;
  const recentViews =
    event.detailType === DetailTypes.ProductViewed
      ? [event.detail.data.productId, ...(facts.recentViews ?? []).filter((id) => id !== event.detail.data.productId)].slice(0, RECENT_VIEWS_LIMIT)
      : facts.recentViews;
  const usage = usageFrom(facts.usage, event, at);
  return {
    ...(interests && { interests }),
    ...(engagement && { engagement, engagementScore: engagementScore(engagement, at) }),
    ...(recentViews && { recentViews }),
    ...(usage && { usage }),
  };
}

/** An anonymous visitor's facts folded into the customer's: interests and engagement add up. */
export function mergeInterestFacts(target: InterestFacts, source: InterestFacts): InterestFacts {
  let interests = target.interests;
  for (const [category, interest] of Object.entries(source.interests ?? {})) interests = addInterest(interests ?? {}, category, interest.score, interest.at);
  // Engagement is points that fade: the visitor's, faded to the customer's time, add to theirs.
  const engagement = target.engagement && source.engagement ? mergeEngagement(target.engagement, source.engagement) : (target.engagement ?? source.engagement);
  const recentViews = [...new Set([...(target.recentViews ?? []), ...(source.recentViews ?? [])])].slice(0, RECENT_VIEWS_LIMIT);
  const usage = target.usage ?? source.usage;
  return { ...(interests && { interests }), ...(engagement && { engagement }), ...(recentViews.length > 0 && { recentViews }), ...(usage && { usage }) };
}

function mergeEngagement(a: Engagement, b: Engagement): Engagement {
  const merged = accumulate({ value: a.points, atMs: Date.parse(a.at) }, b.points, Date.parse(b.at), ENGAGEMENT_HALF_LIFE_DAYS);
  return { points: Math.round(merged.value * 100) / 100, at: new Date(merged.atMs).toISOString() };
}
