/**
 * A customer's data rights on their page: download everything held about them (the export
 * `lifecycle customer export` writes), erase them (through the stack's API, as
 * `lifecycle customer erase` does), and lift their address's suppression (as
 * `lifecycle suppression remove` does). Each action is a form; the erasure asks for the customer id
 * typed again, and carries its request id so that a second click erases once.
 */
import { randomUUID } from 'node:crypto';
import type { VNode } from 'preact';
import { erasureOf, requestErasure } from '#cli/erasure-api.ts';
import type { AddressRecord } from '#shared/outreach/outreach-store.ts';
import { liftByOperator } from '#shared/outreach/suppression-list.ts';
import { exportCustomer } from '#shared/privacy/index.ts';
import { findCustomerId } from '#shared/profile/lookup.ts';
import type { Profile } from '#shared/profile/profile.ts';
import { readProfile } from '#shared/profile/store.ts';
import { LOCAL_OPERATOR } from '../auth/roles.ts';
import { html } from '../html.ts';
import { page, type Page, type PageContext } from '../page.ts';

/** How long the page waits for the eraser before it shows the customer again. */
const ERASURE_WAIT_MS = 10_000;

const customerUrl = (customerId: string) => `/customers/${encodeURIComponent(customerId)}`;

export function rightsSection(context: PageContext, profile: Profile, address: AddressRecord | undefined): VNode {
  const { t } = context;
  const base = customerUrl(profile.customerId);
  return html`
    <section aria-labelledby="rights-heading" class="rights">
      <h2 id="rights-heading">${t('customer.rights')}</h2>
      <p><a href=${`${base}/export`} download>${t('rights.export')}</a></p>
      <form method="post" action=${`${base}/erase`}>
        <input type="hidden" name="requestId" value=${randomUUID()} />
        <label>${t('rights.eraseConfirm')} <input name="confirm" autocomplete="off" required /></label>
        <label>${t('rights.reason')} <input name="reason" maxlength="200" /></label>
        <button type="submit" class="danger">${t('rights.erase')}</button>
      </form>
      ${
        address?.suppressed && profile.email
          ? html`<form method="post" action=${`${base}/lift-suppression`}>
            <label>${t('rights.reason')} <input name="reason" maxlength="200" required /></label>
            <button type="submit">${t('rights.lift')}</button>
          </form>`
          : null
      }
    </section>
  `;
}

/** What is left of an erased customer: when, and by which request. */
export function erasedSection(context: PageContext, profile: Profile): VNode {
  return html`<p data-field="erased">${context.t('rights.erased')} ${profile.erasure?.at} (${profile.erasure?.requestId})</p>`;
}

export const customerExport: Page = async (context) => {
  const [idOrEmail = ''] = context.params;
  const document = await exportCustomer({ ...context.store, clock: () => new Date(context.target.now()) }, idOrEmail);
  if (!document) return page(context.t('customer.notFound'), html`<p>${context.t('customer.notFound')}</p>`, { status: 404 });
  return { kind: 'download', type: 'application/json', filename: `${document.customerId}.json`, body: `${JSON.stringify(document, null, 2)}\n` };
};

export const customerErase: Page = async (context) => {
  const [idOrEmail = ''] = context.params;
  const customerId = await findCustomerId(context.store, idOrEmail);
  if (customerId === undefined) return page(context.t('customer.notFound'), html`<p>${context.t('customer.notFound')}</p>`, { status: 404 });
  const requestId = context.form.get('requestId') ?? '';
  if (context.form.get('confirm')?.trim() !== customerId || !/^[A-Za-z0-9_-]{1,64}$/.test(requestId)) {
    return page(
      context.t('rights.erase'),
      html`<p role="alert">${context.t('rights.notConfirmed')}</p><p><a href=${customerUrl(customerId)}>${customerId}</a></p>`,
      { status: 400 },
    );
  }
  const reason = context.form.get('reason')?.trim();
  await requestErasure(context.target, customerId, { requestId, ...(reason && { reason }) });
  await erasureOf(context.store, customerId, ERASURE_WAIT_MS);
  return { kind: 'redirect', location: customerUrl(customerId) };
};

export const customerLift: Page = async (context) => {
  const [idOrEmail = ''] = context.params;
  const customerId = await findCustomerId(context.store, idOrEmail);
  const address = customerId === undefined ? undefined : (await readProfile(context.store, customerId))?.email;
  if (customerId === undefined || address === undefined)
    return page(context.t('customer.notFound'), html`<p>${context.t('customer.notFound')}</p>`, { status: 404 });
  await liftByOperator(context.store, address, {
    at: new Date(context.target.now()).toISOString(),
    // Locally the machine's user; in AWS the signed-in operator, so the ledger says who lifted it.
    by: context.identity === LOCAL_OPERATOR ? 'console' : `console:${context.identity.name}`,
    note: context.form.get('reason')?.trim() || 'lifted in the console',
  });
  return { kind: 'redirect', location: customerUrl(customerId) };
};
