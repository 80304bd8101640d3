/**
 * Asking for a customer's erasure as the CLI and the console both do it: through the stack's API
 * (`POST /customers/{id}/erasure` on its IAM-authorised launch URL), which puts
 * `customer.erasure.requested` on the bus for the eraser — the path any other system takes too.
 * An address is looked up here, in the store: only the customer id leaves for the bus.
 */
import type { Erasure } from '#shared/profile/profile.ts';
import { readProfile, type StoreDeps } from '#shared/profile/store.ts';
import { postSigned } from './signed-request.ts';
import type { Target } from './target.ts';

export interface ErasureOrder {
  /** The idempotency key: the same id erases once. */
  readonly requestId: string;
  /** Why, for the record; never personal data. */
  readonly reason?: string;
}

const POLL_MS = 250;

export async function requestErasure(target: Target, customerId: string, order: ErasureOrder): Promise<void> {
  const url = target.outputs.LaunchUrl;
  if (!url) throw new Error('the stack has no launch URL: deploy it first');
  const body = { requestId: order.requestId, ...(order.reason && { reason: order.reason }) };
  const answer = await postSigned(`${url.replace(/\/$/, '')}/customers/${encodeURIComponent(customerId)}/erasure`, body, target.clientConfig);
  if (answer.status !== 202) throw new Error(`the API answered ${answer.status}: ${JSON.stringify(answer.body)}`);
}

/** The tombstone once the eraser has laid it, or undefined when `waitMs` passes first. */
export async function erasureOf(store: StoreDeps, customerId: string, waitMs: number): Promise<Erasure | undefined> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    const erasure = (await readProfile(store, customerId))?.erasure;
    if (erasure || Date.now() >= deadline) return erasure;
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}
