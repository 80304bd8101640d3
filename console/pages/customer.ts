/**
 * `/customers/<id|email>` and the search box's `/customers?q=`: a customer's profile, stage
 * history, timeline, journeys (step and wake time), emails with their feedback, consent and its
 * history, and whether their address is suppressed — what `lifecycle profile show` and
 * `lifecycle journey show` read.
 */
import { customerJourneys } from '#shared/journeys/customer-journeys.ts';
import { stepAt } from '#shared/journeys/position.ts';
import { describeOrigin, describeOutcome } from '#shared/outreach/message-outcome.ts';
import { messageTime, readAddress } from '#shared/outreach/outreach-store.ts';
import { emailHash } from '#shared/profile/identity.ts';
import { viewCustomer } from '#shared/profile/lookup.ts';
import type { Statement } from '#shared/profile/profile.ts';
import { html, table } from '../html.ts';
import { erasedSection, rightsSection } from './customer-rights.ts';
import { page, type Page } from '../page.ts';

const EVENTS = 50;
const MESSAGES = 50;

const yesNo = (statement: Statement | undefined) => (statement === undefined ? '—' : `${statement.subscribed ? 'yes' : 'no'} (${statement.at})`);

export const customerSearch: Page = async (context) => {
  const query = (context.url.searchParams.get('q') ?? '').trim();
  return { kind: 'redirect', location: query ? `/customers/${encodeURIComponent(query)}` : '/journeys' };
};

export const customerPage: Page = async (context) => {
  const { t } = context;
  const [idOrEmail = ''] = context.params;
  const view = await viewCustomer(context.store, idOrEmail, EVENTS, MESSAGES);
  if (!view) return page(t('customer.notFound'), html`<p>${t('customer.notFound')}: <strong>${idOrEmail}</strong></p>`, { status: 404 });
  const { profile } = view;
  if (profile.erasure) return page(`${t('customer.title')} ${profile.customerId}`, erasedSection(context, profile));
  const [journeys, address] = await Promise.all([
    customerJourneys(context.store, profile.customerId),
    profile.email ? readAddress(context.store, emailHash(profile.email)) : Promise.resolve(undefined),
  ]);
  const definitions = [...context.definitions.journeys, ...context.definitions.versions];
  // The consent ledger: every statement (what, from where) and every consent-status notice sent.
  const consentHistory = view.consentLedger.map((entry) =>
    entry.type === 'statement'
      ? [
          entry.at,
          entry.statements.map((each) => `${each.topic}: ${each.subscribed ? 'yes' : 'no'}`).join(', '),
          `${entry.source}${entry.via ? ` (${entry.via})` : ''}`,
        ]
      : [entry.at, `notice (${entry.dueDay})`, 'lifecycle'],
  );
  return page(
    `${t('customer.title')} ${profile.customerId}`,
    html`
      <section aria-labelledby="profile-heading">
        <h2 id="profile-heading">${t('customer.profile')}</h2>
        <dl class="facts">
          <dt>${t('customer.stage')}</dt><dd data-field="stage">${profile.stage}${profile.returnStage ? ` → ${profile.returnStage}` : ''} (${profile.stageSince})</dd>
          <dt>${t('customer.contact')}</dt><dd data-field="contact">${[profile.name, profile.email, profile.locale, profile.timezone].filter(Boolean).join(', ') || '—'}</dd>
          <dt>${t('customer.activity')}</dt><dd>${profile.firstSeenAt} … ${profile.lastActivityAt}</dd>
          <dt>${t('customer.counters')}</dt><dd>${profile.counters.events} events, ${profile.counters.orders} orders, ${profile.counters.supportRequests} support</dd>
          <dt>${t('customer.consent')}</dt>
          <dd>all: ${yesNo(profile.consent.email.all)}${Object.entries(profile.consent.email.topics).map(([topic, statement]) => `; ${topic}: ${yesNo(statement)}`)}</dd>
          <dt>${t('customer.suppression')}</dt>
          <dd data-field="suppression">${address?.suppressed ? `${address.suppressed.reason} (${address.suppressed.at})` : t('customer.notSuppressed')}</dd>
        </dl>
      </section>
      ${rightsSection(context, profile, address)}
      <h2>${t('customer.journeys')}</h2>
      ${table(
        [t('col.journey'), t('customer.step'), t('customer.wakes'), t('col.outcome')],
        journeys.map(({ journey, membership, participant }) => {
          const definition = participant && definitions.find((each) => each.name === journey && each.version === participant.run.version);
          const step = participant && definition ? (stepAt(definition.steps, participant.at)?.id ?? '—') : '—';
          return [
            html`<a href=${`/journeys/${journey}`}>${journey}</a>`,
            step,
            participant?.waiting ? `${participant.waiting.until}${participant.waiting.event ? ` (${participant.waiting.event})` : ''}` : '—',
            membership.activeRunId ? `active v${membership.activeVersion ?? '?'}` : `${membership.lastOutcome ?? '—'} ${membership.lastExitedAt ?? ''}`,
          ];
        }),
      )}
      <h2>${t('customer.emails')}</h2>
      ${table(
        [t('col.when'), t('col.template'), t('col.kind'), t('col.source'), t('col.outcome')],
        view.messages.map((message) => [messageTime(message), message.template, message.messageKind, describeOrigin(message), describeOutcome(message)]),
      )}
      <h2>${t('customer.stageHistory')}</h2>
      ${table(
        [t('col.when'), t('col.from'), t('col.to'), t('col.why')],
        view.stageHistory.map((step) => [step.at, step.from ?? '—', step.to, step.reason]),
      )}
      <h2>${t('customer.consent')}</h2>
      ${table([t('col.when'), t('col.event'), t('col.source')], consentHistory)}
      <h2>${t('customer.timeline')}</h2>
      ${table(
        [t('col.when'), t('col.event'), t('col.source')],
        view.recent.map((entry) => [entry.occurredAt, entry.detailType, entry.source]),
      )}
    `,
  );
};
