/**
 * Setting up a race exactly: a store client that holds back the writes a test picks until it
 * opens a gate, so one side of a race is caught half-way while the other side runs.
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/** A promise and the function that resolves it. */
export interface Gate {
  readonly opened: Promise<void>;
  open(): void;
  /** Commands held at the gate so far: a race set up on a command that never came is no race. */
  held: number;
}

export function gate(): Gate {
  let open = () => {};
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { opened, open, held: 0 };
}

/** The store's client, but each command `held` picks waits until `until` opens. */
export function holding(ddb: DynamoDBDocumentClient, held: (command: unknown) => boolean, until: Gate): DynamoDBDocumentClient {
  return new Proxy(ddb, {
    get(target, property, receiver) {
      if (property !== 'send') return Reflect.get(target, property, receiver) as unknown;
      return async (command: Parameters<DynamoDBDocumentClient['send']>[0]) => {
        if (held(command)) {
          until.held++;
          await until.opened;
        }
        return target.send(command);
      };
    },
  });
}
