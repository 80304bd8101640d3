import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { Command } from 'commander';
import { createDocumentClient } from '#shared/clients/dynamodb.ts';
import { describeOrigin, describeOutcome } from '#shared/outreach/message-outcome.ts';
import { messageTime } from '#shared/outreach/outreach-store.ts';
import type { LedgerEntry } from '#shared/profile/consent-ledger.ts';
import { viewCustomer } from '#shared/profile/lookup.ts';
import { printJson, printTable, reportErrors } from './output.ts';
import { resolveTarget, withTargetOptions, type TargetOptions } from './target.ts';

interface ShowOptions extends TargetOptions {
  readonly json?: boolean;
  readonly events: string;
  readonly messages: string;
}

/** A ledger entry as a row: when, what was said (or told), where from, the wording's version. */
function describeLedgerEntry(entry: LedgerEntry): string[] {
  if (entry.type === 'notice') {
    const consents = entry.consents.map(({ topic, since }) => `${topic} since ${since.slice(0, 10)}`).join(', ');
    return [entry.at, `consent-status notice (${consents})`, `message ${entry.messageKey}`, '-'];
  }
  const what = entry.statements.map(({ topic, subscribed }) => `${topic} ${subscribed ? 'yes' : 'no'}`).join(', ');
  return [entry.at, what, `${entry.detailType} ${entry.eventId} from ${entry.source}${entry.via ? ` via ${entry.via}` : ''}`, entry.wordingVersion ?? '-'];
}

export function profileCommand(): Command {
  const show = new Command('show')
    .description("Show a customer's profile, stage history, recent timeline, consent ledger and recent emails (sent, deferred, skipped and why)")
    .argument('<customer>', 'a customer id or an email address')
    .option('--events <n>', 'how many recent events to show', '20')
    .option('--messages <n>', 'how many recent emails to show', '20')
    .option('--json', 'print as JSON');
  withTargetOptions(show).action((customer: string, options: ShowOptions) =>
    reportErrors(async () => {
      const target = await resolveTarget(options);
      const client = new DynamoDBClient(target.clientConfig);
      const view = await viewCustomer(
        { ddb: createDocumentClient(client), tableName: target.tableName },
        customer,
        Number(options.events),
        Number(options.messages),
      );
      client.destroy();
      if (!view) throw new Error(`no customer ${customer}`);
      if (options.json) return printJson(view);
      const { profile } = view;
      if (profile.erasure)
        return console.log(`Customer ${profile.customerId} was erased at ${profile.erasure.at} (request ${profile.erasure.requestId}); nothing else is held`);
      console.log(`Customer ${profile.customerId}${profile.identified ? '' : ' (not yet identified)'}`);
      console.log(`  stage        ${profile.stage}${profile.returnStage ? ` (returns to ${profile.returnStage})` : ''} since ${profile.stageSince}`);
      console.log(`  contact      ${[profile.name, profile.email, profile.locale, profile.timezone].filter(Boolean).join(', ') || '-'}`);
      console.log(`  activity     first seen ${profile.firstSeenAt}, last active ${profile.lastActivityAt}`);
      console.log(`  counters     ${profile.counters.events} events, ${profile.counters.orders} orders, ${profile.counters.supportRequests} support requests`);
      console.log(
        `  revenue      ${
          Object.entries(profile.revenue)
            .map(([currency, amount]) => `${amount} ${currency}`)
            .join(', ') || '-'
        }`,
      );
      const topics = Object.entries(profile.consent.email.topics).map(([topic, statement]) => `${topic} ${statement?.subscribed ? 'yes' : 'no'}`);
      if (view.suppression)
        console.log(
          `  suppressed   ${view.suppression.reason}${view.suppression.note ? ` (${view.suppression.note})` : ''} since ${view.suppression.at}: no email at all (lifecycle suppression)`,
        );
      console.log(
        `  email consent ${profile.consent.email.all ? (profile.consent.email.all.subscribed ? 'yes' : 'no') : 'none given'}${topics.length ? ` (${topics.join(', ')})` : ''}`,
      );
      console.log('\nStage history');
      printTable(
        ['when', 'from', 'to', 'why'],
        view.stageHistory.map((step) => [step.at, step.from ?? '-', step.to, step.reason]),
      );
      console.log('\nRecent events');
      printTable(
        ['when', 'event', 'source'],
        view.recent.map((entry) => [entry.occurredAt, entry.detailType, entry.source]),
      );
      console.log('\nConsent ledger');
      printTable(['when', 'what', 'from', 'wording'], view.consentLedger.map(describeLedgerEntry));
      console.log('\nRecent emails');
      printTable(
        ['when', 'template', 'kind', 'asked by', 'outcome'],
        view.messages.map((message) => [messageTime(message), message.template, message.messageKind, describeOrigin(message), describeOutcome(message)]),
      );
    }),
  );
  return new Command('profile').description('Customer profiles').addCommand(show);
}
