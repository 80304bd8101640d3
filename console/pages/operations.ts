/**
 * `/operations`: the dead-letter queues with their counts and why their messages are there
 * (rejected events by reason and field), read as `lifecycle dlq list` reads them — changing nothing.
 */
import { SQSClient } from '@aws-sdk/client-sqs';
import { deadLetterQueues } from '#cli/dlq.ts';
import { peekQueue } from '#shared/operations/dead-letter-queues.ts';
import { html, table } from '../html.ts';
import { page, type Page } from '../page.ts';

export const operationsPage: Page = async (context) => {
  const { t } = context;
  const sqs = new SQSClient(context.target.clientConfig);
  try {
    const peeks = [];
    for (const queue of deadLetterQueues(context.target)) peeks.push(await peekQueue(sqs, queue));
    const rejections = peeks.flatMap((peek) => peek.reasons.flatMap((entry) => (entry.details ?? []).map((detail) => [peek.queue, entry.reason, detail.detail, detail.count])));
    return page(
      t('operations.title'),
      html`
        <h2>${t('operations.deadLetters')}</h2>
        ${table(
          [t('col.queue'), t('operations.visible'), t('operations.reasons')],
          peeks.map((peek) => [peek.queue, html`<span data-queue=${peek.queue}>${peek.messages}</span>`, peek.reasons.map((entry) => `${entry.reason} ${entry.count}`).join(', ') || '—']),
        )}
        ${rejections.length > 0 ? table([t('col.queue'), t('col.reason'), t('col.why'), t('col.count')], rejections) : null}
        <p class="note">${t('operations.redriveNote')}</p>
      `,
    );
  } finally {
    sqs.destroy();
  }
};
