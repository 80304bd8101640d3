/**
 * CPU profiles of this process's main thread and of every worker thread it starts while sampling
 * (the local cloud runs each Lambda function in a worker), taken through the inspector protocol:
 * no command-line flag, and the workers are reached through the main thread's session.
 */
import { Session } from 'node:inspector/promises';

/** A V8 CPU profile, as `Profiler.stop` returns it. */
export interface CpuProfile {
  readonly nodes: readonly ProfileNode[];
  readonly startTime: number;
  readonly endTime: number;
  readonly samples?: readonly number[];
  readonly timeDeltas?: readonly number[];
}

export interface ProfileNode {
  readonly id: number;
  readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number };
  readonly children?: readonly number[];
}

export interface ThreadProfile {
  /** `main`, or the worker's title. */
  readonly thread: string;
  readonly profile: CpuProfile;
}

interface WorkerMessage {
  readonly id?: number;
  readonly result?: { profile?: CpuProfile };
}

/** Samples every `intervalUs` microseconds until `stop`, which returns one profile per thread. */
export async function startSampling(intervalUs: number): Promise<{ stop(): Promise<ThreadProfile[]> }> {
  const session = new Session();
  session.connect();
  const workers = new Map<string, string>();
  const waiting = new Map<string, (message: WorkerMessage) => void>();
  let nextId = 0;

  /** Sends one protocol command to a worker and resolves with its answer. */
  const toWorker = (sessionId: string, method: string, params: object = {}): Promise<WorkerMessage> =>
    new Promise((resolve) => {
      const id = ++nextId;
      waiting.set(`${sessionId}/${id}`, resolve);
      void session.post('NodeWorker.sendMessageToWorker', { sessionId, message: JSON.stringify({ id, method, params }) });
    });

  session.on('NodeWorker.receivedMessageFromWorker', ({ params }) => {
    const message = JSON.parse(params.message) as WorkerMessage;
    const key = `${params.sessionId}/${message.id}`;
    waiting.get(key)?.(message);
    waiting.delete(key);
  });
  session.on('NodeWorker.attachedToWorker', ({ params }) => {
    workers.set(params.sessionId, params.workerInfo.title || params.workerInfo.workerId);
    void toWorker(params.sessionId, 'Profiler.enable')
      .then(() => toWorker(params.sessionId, 'Profiler.setSamplingInterval', { interval: intervalUs }))
      .then(() => toWorker(params.sessionId, 'Profiler.start'));
  });
  session.on('NodeWorker.detachedFromWorker', ({ params }) => workers.delete(params.sessionId));

  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: intervalUs });
  await session.post('NodeWorker.enable', { waitForDebuggerOnStart: false });
  await session.post('Profiler.start');

  return {
    async stop() {
      const { profile } = (await session.post('Profiler.stop')) as { profile: CpuProfile };
      const fromWorkers = await Promise.all(
        [...workers].map(async ([sessionId, title]) => {
          const answer = await toWorker(sessionId, 'Profiler.stop');
          return answer.result?.profile ? { thread: title, profile: answer.result.profile } : undefined;
        }),
      );
      await session.post('NodeWorker.disable');
      session.disconnect();
      return [{ thread: 'main', profile }, ...fromWorkers.filter((entry): entry is ThreadProfile => entry !== undefined)];
    },
  };
}
