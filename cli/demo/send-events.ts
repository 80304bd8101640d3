/** Sending a population's events as a busy business system would: batches of ten, a few calls at a time. */
import type { EmitInput } from '#shared/events/emitter.ts';

const BATCH = 10;
const PARALLEL_CALLS = 4;

export async function sendInBatches(events: readonly EmitInput[], send: (batch: EmitInput[]) => Promise<unknown>): Promise<void> {
  const batches: EmitInput[][] = [];
  for (let i = 0; i < events.length; i += BATCH) batches.push(events.slice(i, i + BATCH));
  let next = 0;
  const sender = async () => {
    while (next < batches.length) await send(batches[next++] ?? []);
  };
  await Promise.all(Array.from({ length: PARALLEL_CALLS }, sender));
}
