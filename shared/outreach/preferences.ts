/**
 * The unsubscribe endpoint behind every marketing email's links (RFC 8058 one-click unsubscribe):
 *
 * - `POST` with `List-Unsubscribe=One-Click` (what mail clients send) unsubscribes at once from
 *   the token's topic, or from all marketing email for an `all` token;
 * - `GET` shows a small preference page where the customer can change each topic;
 * - `POST` from that page saves the choices.
 *
 * A forged, altered or expired token gets 403 and changes nothing. Pages never show the address.
 */
import { TOPICS, type Topic } from '../events/fields.ts';
import type { Profile } from '../profile/profile.ts';
import { marketingPermission } from './consent.ts';
import { escapeHtml, invalidLinkPage, linkPage } from './link-page.ts';
import { verifyToken, type TokenClaims } from './unsubscribe-token.ts';

export interface PreferencesDeps {
  readonly clock: () => Date;
  /** The current secret first, then the previous one (so links survive a rotation). */
  readonly secrets: () => Promise<readonly string[]>;
  readonly readProfile: (customerId: string) => Promise<Profile | undefined>;
  /** Records a consent change for the customer: a topic, or all marketing email when absent; where it was said, and the wording's version when the page showed one. */
  readonly recordConsent: (customerId: string, topic: Topic | undefined, subscribed: boolean, said: ConsentSource) => Promise<void>;
  readonly brandName: string;
}

/**
 * The version of the preference page's wording, kept on the consent ledger with every choice made
 * on it: raise it whenever the page's text changes.
 */
export const PREFERENCE_PAGE_WORDING = 'preference-page/1';

/** Where a consent change was made: a mail client's one-click unsubscribe, or the preference page (with its wording). */
export type ConsentSource = { readonly via: 'one-click' } | { readonly via: 'preference-page'; readonly wordingVersion: string };

const ON_THE_PAGE: ConsentSource = { via: 'preference-page', wordingVersion: PREFERENCE_PAGE_WORDING };

export interface PreferencesRequest {
  readonly method: string;
  readonly token: string | undefined;
  /** The form body, for POST. */
  readonly form: URLSearchParams;
}

export interface PreferencesResponse {
  readonly status: number;
  readonly html: string;
}

const TOPIC_LABELS: Record<Topic, string> = {
  newsletter: 'Newsletter',
  offers: 'Offers and sales',
  'product-updates': 'Product updates',
  surveys: 'Surveys',
};

function preferencesForm(deps: PreferencesDeps, token: string, profile: Profile | undefined, saved: boolean): string {
  const consent = profile?.consent.email ?? { topics: {} };
  const boxes = TOPICS.map((topic) => {
    const checked = marketingPermission(consent, topic, 'opt-in').allowed ? ' checked' : '';
    return `<label><input type="checkbox" name="topics" value="${topic}"${checked}> ${TOPIC_LABELS[topic]}</label>`;
  }).join('');
  return `${saved ? '<p role="status">Your choices are saved.</p>' : ''}
<form method="post"><input type="hidden" name="token" value="${escapeHtml(token)}">${boxes}
<button type="submit" name="action" value="save">Save my choices</button>
<button type="submit" name="action" value="unsubscribe-all">Unsubscribe from all marketing email</button></form>`;
}

async function verified(deps: PreferencesDeps, token: string | undefined): Promise<TokenClaims | undefined> {
  if (!token) return undefined;
  const result = verifyToken(token, await deps.secrets(), Math.floor(deps.clock().getTime() / 1000));
  return result.ok ? result.claims : undefined;
}

export async function handlePreferences(deps: PreferencesDeps, request: PreferencesRequest): Promise<PreferencesResponse> {
  const token = request.token ?? request.form.get('token') ?? undefined;
  const claims = await verified(deps, token);
  if (!claims || !token) return invalidLinkPage(deps.brandName);
  const { customerId, topic } = claims;

  if (request.method === 'GET') {
    const profile = await deps.readProfile(customerId);
    return { status: 200, html: linkPage(deps.brandName, 'Your email preferences', preferencesForm(deps, token, profile, false)) };
  }
  if (request.method !== 'POST') return { status: 405, html: linkPage(deps.brandName, 'Not allowed', '') };

  if (request.form.get('List-Unsubscribe') === 'One-Click' || request.form.get('action') === 'unsubscribe-all') {
    const fromPage = request.form.get('action') === 'unsubscribe-all';
    const scope = fromPage || topic === 'all' ? undefined : topic;
    await deps.recordConsent(customerId, scope, false, fromPage ? ON_THE_PAGE : { via: 'one-click' });
    const what = scope ? TOPIC_LABELS[scope].toLowerCase() : 'all marketing email';
    return { status: 200, html: linkPage(deps.brandName, 'You are unsubscribed', `<p>You will get no more ${escapeHtml(what)} from us.</p>`) };
  }

  // The preference form: record each topic whose choice differs from what the profile holds.
  const chosen = new Set(request.form.getAll('topics'));
  const profile = await deps.readProfile(customerId);
  const consent = profile?.consent.email ?? { topics: {} };
  for (const each of TOPICS) {
    const wanted = chosen.has(each);
    if (marketingPermission(consent, each, 'opt-in').allowed !== wanted) await deps.recordConsent(customerId, each, wanted, ON_THE_PAGE);
  }
  const updated = await deps.readProfile(customerId);
  return { status: 200, html: linkPage(deps.brandName, 'Your email preferences', preferencesForm(deps, token, updated, true)) };
}
