/**
 * Variables the sender fills in at send time, from what only it knows then: one-click survey links
 * signed for this customer, recommendations from the latest co-purchase counts, and values read
 * from the customer's profile as it is now (the product of their latest order, say).
 */
import type { Profile } from '../profile/profile.ts';
import type { RecommendedProduct } from '../scoring/recommend-products.ts';
import type { Personalize } from './request.ts';
import { surveyLinks } from './survey-token.ts';

export interface PersonalizeDeps {
  /** The base URL survey links point at. */
  readonly surveyUrl: string;
  readonly secret: () => Promise<string>;
  readonly now: Date;
  readonly tokenLifetimeDays: number;
  /** Products to recommend: never what the customer bought; empty when nothing fits. */
  readonly recommend?: (profile: Profile, basedOn: readonly string[], limit: number) => Promise<readonly RecommendedProduct[]>;
}

/** A dotted path into the profile (`orderHistory.lastItems.0`); undefined when it leads nowhere. */
export function profileValue(profile: Profile, path: string): unknown {
  return path
    .split('.')
    .reduce<unknown>((node, key) => (node !== null && typeof node === 'object' ? (node as Record<string, unknown>)[key] : undefined), profile);
}

export async function personalVariables(deps: PersonalizeDeps, profile: Profile, personalize: Personalize | undefined): Promise<Record<string, unknown>> {
  if (!personalize) return {};
  const variables: Record<string, unknown> = {};
  for (const [name, path] of Object.entries(personalize.fromProfile ?? {})) {
    const value = profileValue(profile, path);
    if (value !== undefined) variables[name] = value;
  }
  if (personalize.survey) {
    const expiresAt = Math.floor(deps.now.getTime() / 1000) + deps.tokenLifetimeDays * 86_400;
    variables.surveyLinks = surveyLinks(deps.surveyUrl, { customerId: profile.customerId, ...personalize.survey, expiresAt }, await deps.secret());
  }
  if (personalize.recommendations && deps.recommend) {
    const basedOn = [personalize.recommendations.basedOn ?? profile.orderHistory?.products ?? []].flat();
    const products = await deps.recommend(profile, basedOn, personalize.recommendations.limit);
    if (products.length > 0) variables.recommendations = products;
  }
  return variables;
}
