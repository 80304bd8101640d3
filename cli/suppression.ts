/**
 * `lifecycle suppression list | show | add | remove`: the addresses that get no email, why and since
 * when, and an operator's changes to them — each kept with who made it and why.
 */
import { userInfo } from 'node:os';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { Command, Option } from 'commander';
import { createDocumentClient } from '#shared/clients/dynamodb.ts';
import type { Suppression } from '#shared/outreach/outreach-store.ts';
import { addressRecordOf, liftByOperator, listSuppressed, suppressByOperator } from '#shared/outreach/suppression-list.ts';
import type { StoreDeps } from '#shared/profile/store.ts';
import { printJson, printTable, reportErrors } from './output.ts';
import { resolveTarget, withTargetOptions, type Target, type TargetOptions } from './target.ts';

interface ListOptions extends TargetOptions {
  readonly json?: boolean;
}

interface ChangeOptions extends ListOptions {
  readonly reason: string;
  readonly by: string;
}

async function withStore<T>(options: TargetOptions, action: (store: StoreDeps, target: Target) => Promise<T>): Promise<T> {
  const target = await resolveTarget(options);
  const client = new DynamoDBClient(target.clientConfig);
  try {
    return await action({ ddb: createDocumentClient(client), tableName: target.tableName }, target);
  } finally {
    client.destroy();
  }
}

const describeSuppression = (suppressed: Suppression): string =>
  `${suppressed.reason}${suppressed.note ? ` (${suppressed.note})` : ''} since ${suppressed.at}${suppressed.by ? ` by ${suppressed.by}` : ''}`;

function changeCommand(name: string, description: string): Command {
  const command = new Command(name)
    .description(description)
    .argument('<email>', 'the email address')
    .requiredOption('--reason <text>', 'why: kept with the change')
    .addOption(new Option('--by <who>', 'who makes the change: kept with it').default(userInfo().username, 'your user name'))
    .option('--json', 'print as JSON');
  return withTargetOptions(command);
}

export function suppressionCommand(): Command {
  const list = withTargetOptions(
    new Command('list').description('Every suppressed address: why, since when, by whom, and the customer it belongs to').option('--json', 'print as JSON'),
  );
  list.action((options: ListOptions) =>
    reportErrors(async () => {
      const addresses = await withStore(options, (store) => listSuppressed(store));
      if (options.json) return printJson(addresses);
      printTable(
        ['address (hash)', 'customer', 'reason', 'since', 'by', 'note'],
        addresses.map(({ hash, customerId, suppressed }) => [
          hash,
          customerId ?? '-',
          suppressed.reason,
          suppressed.at,
          suppressed.by ?? '-',
          suppressed.note ?? '',
        ]),
      );
      console.log(`\n${addresses.length} suppressed`);
    }),
  );

  const show = withTargetOptions(
    new Command('show')
      .description("An address's suppression and every change to it")
      .argument('<email>', 'the email address')
      .option('--json', 'print as JSON'),
  );
  show.action((email: string, options: ListOptions) =>
    reportErrors(async () => {
      const record = await withStore(options, (store) => addressRecordOf(store, email));
      if (options.json) return printJson(record);
      console.log(record.suppressed ? `Suppressed: ${describeSuppression(record.suppressed)}` : 'Not suppressed');
      printTable(
        ['when', 'change', 'reason', 'by', 'note'],
        (record.changes ?? []).map((change) => [change.at, change.action, change.reason, change.by, change.note ?? '']),
      );
    }),
  );

  const add = changeCommand('add', 'Stop all email to an address (transactional too) until it is removed');
  add.action((email: string, options: ChangeOptions) =>
    reportErrors(async () => {
      const outcome = await withStore(options, (store, target) =>
        suppressByOperator(store, email, { at: new Date(target.now()).toISOString(), by: options.by, note: options.reason }),
      );
      if (options.json) return printJson(outcome);
      console.log(outcome.status === 'suppressed' ? 'Suppressed.' : `Already suppressed: ${describeSuppression(outcome.suppressed)}. Nothing changed.`);
    }),
  );

  const remove = changeCommand('remove', 'Lift the suppression of an address, so that it may get email again');
  remove.action((email: string, options: ChangeOptions) =>
    reportErrors(async () => {
      const outcome = await withStore(options, (store, target) =>
        liftByOperator(store, email, { at: new Date(target.now()).toISOString(), by: options.by, note: options.reason }),
      );
      if (options.json) return printJson(outcome);
      if (outcome.status === 'not-suppressed') return console.log('Not suppressed. Nothing changed.');
      console.log(`Lifted (it was: ${describeSuppression(outcome.was)}).`);
      // SES keeps its own, account-level list: an address on it stays undeliverable.
      console.log('If SES suppressed it too: aws sesv2 delete-suppressed-destination --email-address <email>');
    }),
  );

  return new Command('suppression')
    .description('Addresses that get no email: list, show, add, remove')
    .addCommand(list)
    .addCommand(show)
    .addCommand(add)
    .addCommand(remove);
}
