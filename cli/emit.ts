import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { Command } from 'commander';
import { DETAIL_TYPES, isDetailType } from '#shared/events/catalog.ts';
import { createEmitter, type EmitInput } from '#shared/events/emitter.ts';
import { printJson, reportErrors } from './output.ts';
import { resolveTarget, withTargetOptions, type TargetOptions } from './target.ts';

interface EmitOptions extends TargetOptions {
  readonly data: string;
  readonly customer: string;
  readonly source: string;
  readonly eventId?: string;
  readonly occurredAt?: string;
  readonly json?: boolean;
}

function parseJsonOption(text: string, name: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new Error(`--${name} must be JSON, e.g. --${name} '{"id":"c-1"}'`);
  }
}

export function emitCommand(): Command {
  const command = new Command('emit')
    .description('Put one event on the bus, validated against the catalog (through the typed emitter)')
    .argument('<detail-type>', `one of: ${DETAIL_TYPES.join(', ')}`)
    .requiredOption('--customer <json>', 'who it is about, e.g. \'{"id":"c-1","email":"mina@example.com"}\'')
    .option('--data <json>', "the event type's data", '{}')
    .option('--source <source>', 'the emitting system', 'com.example.cli')
    .option('--event-id <id>', 'the idempotency key (default: a new UUID)')
    .option('--occurred-at <iso>', "when it happened (default: now on the target's clock, the local cloud's virtual time)")
    .option('--json', 'print the result as JSON');
  return withTargetOptions(command).action((detailType: string, options: EmitOptions) =>
    reportErrors(async () => {
      if (!isDetailType(detailType)) throw new Error(`unknown detail-type ${JSON.stringify(detailType)}; see lifecycle emit --help`);
      const target = await resolveTarget(options);
      const client = new EventBridgeClient(target.clientConfig);
      // Stamped with the target's time: after `local advance 8d` a wall-clock stamp would make
      // the event look 8 days old, and what only fresh events do (order confirmations) would not happen.
      const emitter = createEmitter({ client, eventBusName: target.busName, source: options.source, clock: () => new Date(target.now()) });
      const detail = {
        customer: parseJsonOption(options.customer, 'customer'),
        data: parseJsonOption(options.data, 'data'),
        ...(options.eventId && { eventId: options.eventId }),
        ...(options.occurredAt && { occurredAt: options.occurredAt }),
      };
      const result = await emitter.emit([{ detailType, detail } as EmitInput]);
      client.destroy();
      if (options.json) printJson({ detailType, eventId: result.eventIds[0], bus: target.busName });
      else console.log(`Put ${detailType} ${result.eventIds[0]} on ${target.busName}`);
    }),
  );
}
