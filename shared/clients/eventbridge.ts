import { EventBridgeClient } from '@aws-sdk/client-eventbridge';

let shared: EventBridgeClient | undefined;

/** The EventBridge client, one per process. */
export function eventBridgeClient(): EventBridgeClient {
  shared ??= new EventBridgeClient({});
  return shared;
}
