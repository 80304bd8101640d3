/** `lifecycle customer export|erase`: a customer's right to see their data and to be forgotten. */
import { randomUUID } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { Command } from 'commander';
import { createDocumentClient } from '#shared/clients/dynamodb.ts';
import { exportCustomer } from '#shared/privacy/index.ts';
import { findCustomerId } from '#shared/profile/lookup.ts';
import { erasureOf, requestErasure } from './erasure-api.ts';
import { printJson, reportErrors } from './output.ts';
import { resolveTarget, withTargetOptions, type Target, type TargetOptions } from './target.ts';

function store(target: Target) {
  const client = new DynamoDBClient(target.clientConfig);
  return { deps: { ddb: createDocumentClient(client), tableName: target.tableName, clock: () => new Date(target.now()) }, close: () => client.destroy() };
}

interface ExportOptions extends TargetOptions {
  readonly out?: string;
}

function exportSubcommand(): Command {
  const command = new Command('export')
    .description(
      'Everything held about a customer, as one JSON document: profile, identities, timeline, journeys, emails and their feedback, surveys, consent, suppression',
    )
    .argument('<customer>', 'a customer id or an email address')
    .option('--out <file>', 'write it to this file (default: print it)');
  return withTargetOptions(command).action((customer: string, options: ExportOptions) =>
    reportErrors(async () => {
      const { deps, close } = store(await resolveTarget(options));
      const document = await exportCustomer(deps, customer);
      close();
      if (!document) throw new Error(`nothing is held about ${customer}`);
      if (!options.out) return printJson(document);
      await writeFile(options.out, `${JSON.stringify(document, null, 2)}\n`);
      console.log(
        `Wrote everything held about ${document.customerId} to ${options.out} (${document.timeline.length} events, ${document.messages.length} emails, ${document.journeys.length} journeys)`,
      );
    }),
  );
}

interface EraseOptions extends TargetOptions {
  readonly requestId?: string;
  readonly reason?: string;
  readonly wait: string;
}

function eraseSubcommand(): Command {
  const command = new Command('erase')
    .description("Forget a customer: asks the stack's API (customer.erasure.requested on the bus) and waits until the eraser has left the tombstone")
    .argument('<customer>', 'a customer id or an email address (the address is looked up here and never put on the bus)')
    .option('--request-id <id>', 'the idempotency key (default: a new one); the same id erases once')
    .option('--reason <text>', 'why, for the record (a ticket number); never personal data')
    .option('--wait <seconds>', 'how long to wait for the erasure to finish (0: do not wait)', '60');
  return withTargetOptions(command).action((customer: string, options: EraseOptions) =>
    reportErrors(async () => {
      const target = await resolveTarget(options);
      const { deps, close } = store(target);
      try {
        const customerId = await findCustomerId(deps, customer);
        if (customerId === undefined) throw new Error(`nothing is held about ${customer}`);
        const requestId = options.requestId ?? randomUUID();
        await requestErasure(target, customerId, { requestId, ...(options.reason && { reason: options.reason }) });
        console.log(`Requested the erasure of ${customerId} (request ${requestId})`);
        if (Number(options.wait) <= 0) return;
        const erasure = await erasureOf(deps, customerId, Number(options.wait) * 1000);
        if (!erasure)
          throw new Error(
            `the erasure of ${customerId} has not finished after ${options.wait} s; it goes on (lifecycle profile show ${customerId} shows the tombstone when done)`,
          );
        console.log(`Erased ${customerId} at ${erasure.at}${erasure.requestId === requestId ? '' : ` (already, by request ${erasure.requestId})`}`);
      } finally {
        close();
      }
    }),
  );
}

export function customerCommand(): Command {
  return new Command('customer')
    .description("A customer's data rights: see everything held about them, or forget them")
    .addCommand(exportSubcommand())
    .addCommand(eraseSubcommand());
}
