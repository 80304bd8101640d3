/**
 * `/operations`: the dead-letter queues with their counts and why their messages are there
 * (rejected events by reason and field), read as `lifecycle dlq list` reads them, and a redrive
 * with a dry run first, through the code `lifecycle dlq redrive` runs.
 */
import { SQSClient } from '@aws-sdk/client-sqs';
import { deadLetterQueues, redriveDeadLetters } from '#cli/dead-letter-api.ts';
import { peekQueue, type QueueRedrive } from '#shared/operations/dead-letter-queues.ts';
import { html, table } from '../html.ts';
import { page, type Page, type PageContext } from '../page.ts';

async function queuesSection(context: PageContext) {
  const { t } = context;
  const sqs = new SQSClient(context.target.clientConfig);
  try {
    const peeks = [];
    for (const queue of deadLetterQueues(context.target)) peeks.push(await peekQueue(sqs, queue));
    const rejections = peeks.flatMap((peek) =>
      peek.reasons.flatMap((entry) => (entry.details ?? []).map((detail) => [peek.queue, entry.reason, detail.detail, detail.count])),
    );
    return html`
      <h2>${t('operations.deadLetters')}</h2>
      ${table(
        [t('col.queue'), t('operations.visible'), t('operations.redrivable'), t('operations.reasons'), ''],
        peeks.map((peek) => [
          peek.queue,
          html`<span data-queue=${peek.queue}>${peek.messages}</span>`,
          peek.redrivable,
          peek.reasons.map((entry) => `${entry.reason} ${entry.count}`).join(', ') || '—',
          peek.messages === 0
            ? ''
            : html`<form method="post" action="/operations/redrive" class="actions" data-once>
                <input type="hidden" name="queue" value=${peek.queue} />
                <button type="submit" name="action" value="dry-run" aria-label=${`${t('operations.dryRun')}: ${peek.queue}`}>${t('operations.dryRun')}</button>
                <button type="submit" name="action" value="redrive" aria-label=${`${t('operations.redrive')}: ${peek.queue}`}>${t('operations.redrive')}</button>
              </form>`,
        ]),
      )}
      ${rejections.length > 0 ? html`<h2>${t('operations.rejected')}</h2>${table([t('col.queue'), t('col.reason'), t('col.why'), t('col.count')], rejections)}` : null}
    `;
  } finally {
    sqs.destroy();
  }
}

function redriveResult(context: PageContext, dryRun: boolean, results: readonly QueueRedrive[]) {
  const { t } = context;
  return html`<section class="redrive" aria-live="polite">
    <h2>${dryRun ? t('operations.dryRunTitle') : t('operations.redriveTitle')}</h2>
    ${table(
      [t('col.queue'), t('operations.examined'), dryRun ? t('operations.wouldRedrive') : t('operations.redriven'), t('operations.left'), t('col.why')],
      results.map((result) => [
        result.queue,
        result.examined,
        html`<span data-redriven=${result.queue}>${result.redriven}</span>`,
        result.left,
        result.leftBy.map((entry) => `${entry.reason}: ${entry.count} (${entry.why})`).join('; ') || '—',
      ]),
    )}
  </section>`;
}

export const operationsPage: Page = async (context) => page(context.t('operations.title'), await queuesSection(context));

export const redrivePage: Page = async (context) => {
  const queue = context.form.get('queue') ?? undefined;
  const dryRun = context.form.get('action') !== 'redrive';
  const results = await redriveDeadLetters(context.target, { ...(queue && { queue }), dryRun });
  return page(context.t('operations.title'), html`${redriveResult(context, dryRun, results)}${await queuesSection(context)}`);
};
