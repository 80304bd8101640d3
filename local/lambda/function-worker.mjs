// One Lambda function's sandbox: a worker thread with the function's own environment
// (process.env is the function's, not the local cloud's), the local cloud's virtual time, and the
// bundle from the cloud assembly, loaded once (the cold start) and invoked for each message.
// Plain JavaScript: worker threads start without the TypeScript loader.
import { AsyncLocalStorage } from 'node:async_hooks';
import { subscribe } from 'node:diagnostics_channel';
import { Agent } from 'node:http';
import { parentPort, workerData } from 'node:worker_threads';
import { existsSync, readFileSync } from 'node:fs';
import { register } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';

const { codeDir, handler, clockState, functionName, functionArn, memoryMb, stats } = workerData;

// Every AWS call the code makes is an HTTP request: counted for the cost model, which prices the
// time an invocation waits on its calls at their usual latency in AWS, not at this machine's.
const counters = new Float64Array(stats);
subscribe('http.client.request.start', () => {
  counters[0] += 1;
});

// Each AWS call names the invocation that makes it (x-local-invocation: function/request id),
// so the local cloud can end that invocation, and only it, right after a call it applied (see
// local/crash-points.ts). Set as the agent takes the request: its headers are not sent yet, and
// the SDK has signed without it.
const invocation = new AsyncLocalStorage();
const addRequest = Agent.prototype.addRequest;
Agent.prototype.addRequest = function tagged(request, options) {
  const id = invocation.getStore();
  if (id !== undefined && !request.headersSent) request.setHeader('x-local-invocation', `${functionName}/${id}`);
  return addRequest.call(this, request, options);
};

// The CPU time this thread has used (code, cold start, and the thread's share of garbage
// collection), from Linux's per-thread accounting in clock ticks of 10 ms: unlike wall time, it
// leaves out the time the thread waited for a core on a busy machine. -1 where /proc has no
// per-thread file (not Linux): the local cloud falls back to the event loop's active time.
function threadCpuMs() {
  try {
    const stat = readFileSync('/proc/thread-self/stat', 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // utime and stime are the 14th and 15th fields; the list starts at the 3rd.
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return -1;
  }
}
const noteCpu = () => {
  counters[1] = threadCpuMs();
};

// Virtual time, read from memory the local cloud's clock shares with every worker.
const clock = new Float64Array(clockState);
const RealDate = Date;
const realNow = () => performance.timeOrigin + performance.now();
const virtualNow = () => clock[0] + (realNow() - clock[1]) * clock[2];
class VirtualDate extends RealDate {
  constructor(...args) {
    if (args.length === 0) super(virtualNow());
    else super(...args);
  }
  static now() {
    return virtualNow();
  }
}
globalThis.Date = VirtualDate;

const [moduleName, exportName] = (() => {
  const dot = handler.lastIndexOf('.');
  return [handler.slice(0, dot), handler.slice(dot + 1)];
})();
const file = ['.mjs', '.js', '.cjs'].map((extension) => join(codeDir, `${moduleName}${extension}`)).find((path) => existsSync(path));

// A bundle may leave out the AWS SDK (`@aws-sdk/*`, `@smithy/*`), which Lambda's Node.js runtimes
// provide. Its imports of them resolve as Node resolves any package, from the nearest node_modules
// above the code directory: for a cloud assembly inside a project (cdk.out), the project's own
// installed SDK, at the version its lock file pins, loaded from disk at the cold start as the
// runtime loads its copy. An assembly kept elsewhere (a temporary folder) finds none: the local
// cloud lends its own then, through resolve hooks (runtime-sdk-hooks.mjs), which cost a thread and
// so are registered only there.
function findsSdkAbove(directory) {
  for (let dir = directory; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'node_modules', '@aws-sdk'))) return true;
    if (dirname(dir) === dir) return false;
  }
}
if (!findsSdkAbove(codeDir)) register('./runtime-sdk-hooks.mjs', import.meta.url, { data: { parentURL: import.meta.url } });

const loaded = (async () => {
  if (!file) throw Object.assign(new Error(`Cannot find module '${moduleName}' in ${codeDir}`), { name: 'Runtime.ImportModuleError' });
  const module = await import(pathToFileURL(file).href);
  const fn = module[exportName] ?? module.default?.[exportName];
  if (typeof fn !== 'function') throw Object.assign(new Error(`${handler} is undefined or not exported`), { name: 'Runtime.HandlerNotFound' });
  return fn;
})();
// The failure is reported by each invocation, as Lambda reports an init error.
loaded.then(noteCpu, noteCpu);

function describeError(error) {
  const value = error instanceof Error ? error : new Error(String(error));
  return {
    errorType: value.name || 'Error',
    errorMessage: value.message,
    trace: (value.stack ?? '').split('\n').slice(0, 10),
  };
}

parentPort.on('message', async (message) => {
  if (message.type !== 'invoke') return;
  const deadline = RealDate.now() + message.timeoutMs;
  const context = {
    callbackWaitsForEmptyEventLoop: false,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: functionArn,
    memoryLimitInMB: String(memoryMb),
    awsRequestId: message.requestId,
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: () => Math.max(0, deadline - RealDate.now()),
    done: () => {},
    fail: () => {},
    succeed: () => {},
  };
  try {
    const fn = await loaded;
    const result = await invocation.run(message.requestId, () => fn(message.payload, context));
    // Lambda returns what JSON.stringify makes of the result.
    const json = result === undefined ? null : JSON.parse(JSON.stringify(result));
    noteCpu();
    parentPort.postMessage({ id: message.id, ok: true, result: json });
  } catch (error) {
    noteCpu();
    parentPort.postMessage({ id: message.id, ok: false, error: describeError(error) });
  }
});
