/**
 * The DynamoDB store (dynalite) called in this process: the same validation and actions its HTTP
 * server runs for a request, without the server. A call from the edge or a state machine used to
 * cross a second HTTP connection (serialised, sent, parsed, answered, parsed again); profiled
 * under a burst, that hop cost more of the main thread than the store itself.
 *
 * Errors are dynalite's, as AwsServiceError with AWS's code and status. Stopping waits for the
 * calls already taken: a conditional update reads, then writes, and must not find the database
 * closed in between.
 */
import { createRequire } from 'node:module';
import { AwsServiceError } from '../aws-error.ts';

const require = createRequire(import.meta.url);

type Json = Record<string, unknown>;
type Callback = (error: Error | null | undefined, output?: Json) => void;
type Action = (store: unknown, data: Json, callback: Callback) => void;
interface ActionValidation {
  readonly types: unknown;
  readonly custom?: unknown;
}
interface DynaliteStoreInternals {
  readonly lifecycleManager?: { gracefulClose(callback: (error?: Error) => void): void };
  readonly db: { close(callback: (error?: Error) => void): void };
}

const db = require('dynalite/db') as { create(options: object): DynaliteStoreInternals };
const validations = require('dynalite/validations') as {
  checkTypes(data: Json, types: unknown): Json;
  checkValidations(data: Json, types: unknown, custom: unknown, store: unknown): void;
};

/** The operations dynalite implements, as its server lists them. */
const OPERATIONS = [
  'BatchGetItem',
  'BatchWriteItem',
  'CreateTable',
  'DeleteItem',
  'DeleteTable',
  'DescribeTable',
  'DescribeTimeToLive',
  'GetItem',
  'ListTables',
  'PutItem',
  'Query',
  'Scan',
  'TagResource',
  'UntagResource',
  'ListTagsOfResource',
  'UpdateItem',
  'UpdateTable',
] as const;

const lowerFirst = (name: string): string => name.charAt(0).toLowerCase() + name.slice(1);
const handlers = new Map(
  OPERATIONS.map((operation) => [
    operation as string,
    {
      action: require(`dynalite/actions/${lowerFirst(operation)}`) as Action,
      validation: require(`dynalite/validations/${lowerFirst(operation)}`) as ActionValidation,
    },
  ]),
);

/** dynalite's error (body `{ __type: 'com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException' }`) as AWS's. */
function serviceError(error: unknown): unknown {
  const { statusCode, body } = error as { statusCode?: number; body?: Json };
  if (!statusCode) return error;
  const code =
    String(body?.__type ?? 'InternalServerError')
      .split('#')
      .pop() ?? 'InternalServerError';
  return new AwsServiceError(code, String(body?.message ?? body?.Message ?? code), statusCode);
}

export class DynaliteStore {
  private readonly store: DynaliteStoreInternals;
  private taken = 0;
  private closing: Promise<void> | undefined;
  private readonly drained: (() => void)[] = [];

  /** In memory, or on disk under `path` when given; tables are ready as soon as created. */
  constructor(path?: string) {
    this.store = db.create({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0, ...(path && { path }) });
  }

  /**
   * One DynamoDB operation, with its JSON-protocol input; resolves with its output.
   * @throws AwsServiceError as DynamoDB answers (validation, a failed condition, a missing table)
   */
  async call(operation: string, input: Json): Promise<Json> {
    const output = await this.run(operation, input);
    // A table is CREATING until a timer of dynalite's makes it ACTIVE; the cloud's are ready at once.
    if (operation === 'CreateTable') await this.active(String(input.TableName));
    return output;
  }

  private async active(tableName: string): Promise<void> {
    for (;;) {
      const { Table } = (await this.run('DescribeTable', { TableName: tableName })) as { Table?: { TableStatus?: string } };
      if (Table?.TableStatus === 'ACTIVE') return;
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
  }

  private run(operation: string, input: Json): Promise<Json> {
    if (this.closing) return Promise.reject(new AwsServiceError('ServiceUnavailable', 'the local DynamoDB store is stopping', 503));
    const handler = handlers.get(operation);
    if (!handler) return Promise.reject(new AwsServiceError('UnknownOperationException', `DynamoDB has no ${operation}`, 400));
    this.taken++;
    return new Promise<Json>((resolve, reject) => {
      try {
        // Validation reshapes the top level of what it is given: a copy, so the caller's input stays as it was.
        const data = validations.checkTypes({ ...input }, handler.validation.types);
        validations.checkValidations(data, handler.validation.types, handler.validation.custom, this.store);
        handler.action(this.store, data, (error, output) => (error ? reject(serviceError(error)) : resolve(output ?? {})));
      } catch (error) {
        reject(serviceError(error));
      }
    }).finally(() => {
      this.taken--;
      if (this.taken === 0) for (const resolve of this.drained.splice(0)) resolve();
    });
  }

  /** Takes no more calls; resolves once those taken are answered and the database is closed. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      if (this.taken > 0) await new Promise<void>((resolve) => this.drained.push(resolve));
      await new Promise<void>((resolve, reject) => {
        const done = (error?: Error) => (error ? reject(error) : resolve());
        if (this.store.lifecycleManager) this.store.lifecycleManager.gracefulClose(done);
        else this.store.db.close(done);
      });
    })();
    return this.closing;
  }
}
