/**
 * The local cloud: reads a synthesized cloud assembly and runs what it declares on this machine —
 * EventBridge, Step Functions, Lambda, SQS, DynamoDB (dynalite) and SES v2 (aws-ses-v2-local) —
 * behind one endpoint that the AWS SDK and CLI talk to. Nothing about the stack is configured
 * here: add a rule, a function or a queue to the CDK app and it runs locally as it is.
 */
import { join } from 'node:path';
import type { Server, ServerResponse } from 'node:http';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { FileActivityLog, type ActivityLog } from './activity-log.ts';
import { AtLeastOnce, type AtLeastOnceOptions } from './at-least-once.ts';
import { AwsServiceError } from './aws-error.ts';
import { VirtualClock, parseDuration } from './clock.ts';
import { CrashPlan, invocationOf } from './crash-points.ts';
import { AssemblyError, readAssembly } from './cloudformation/assembly.ts';
import { HotswapError, hotswapFunctions } from './cloudformation/hotswap.ts';
import { readResources, type StackResources } from './cloudformation/resources.ts';
import { DynaliteStore } from './dynamodb/dynalite-store.ts';
import { MeteredDynamo } from './dynamodb/metered-dynamo.ts';
import { tablesOf } from './dynamodb/tables.ts';
import { createEdgeServer, listen } from './edge/edge-server.ts';
import { EventBridgeService } from './eventbridge/eventbridge-service.ts';
import { FaultInjector, type FaultRule } from './faults.ts';
import type { Caller, IamMode } from './iam/authorizer.ts';
import { CloudIam } from './iam/cloud-iam.ts';
import { mergePolicyBooks } from './iam/template-policies.ts';
import { portError } from './ports.ts';
import { FUNCTION_URL_PREFIX, serveFunctionUrl, type FunctionUrlSpec } from './lambda/function-url.ts';
import { INVOKE_PATH_PREFIX, serveInvoke } from './lambda/invoke-api.ts';
import { ISOLATED } from './lambda/function-sandbox.ts';
import { LambdaService, type FunctionBilling, type InvocationMeter } from './lambda/lambda-service.ts';
import { SchedulerApi } from './scheduler-api/scheduler-api.ts';
import { SecretsService } from './secretsmanager/secrets-service.ts';
import type { SesEventDestination } from './ses/event-publishing.ts';
import { checkBehaviour, type RecipientBehaviour } from './ses/recipient-simulation.ts';
import { createSesRoute } from './ses/ses-route.ts';
import { startSesServer } from './ses/ses-server.ts';
import { SqsService } from './sqs/sqs-service.ts';
import { runTask } from './stepfunctions/integrations.ts';
import { StepFunctionsService, type StepFunctionsMeter } from './stepfunctions/step-functions-service.ts';
import { callSes } from './service-calls.ts';
import { startSchedules } from './scheduler.ts';
import { sendToArn, type SendOptions, type TargetServices } from './targets.ts';
import { UsageMeter, type MeteredUsage } from './usage-meter.ts';

export const REGION = 'us-east-1';
export const ACCOUNT_ID = '000000000000';

export interface LocalCloudOptions {
  /** The cloud assembly directory (`cdk.out`). */
  readonly assemblyDir: string;
  /** The edge port. @default 4566; 0 picks a free port. @throws PortUnavailableError from startLocalCloud when taken */
  readonly port?: number;
  /** The SES inbox port. @default 8005; 0 picks a free port */
  readonly sesPort?: number;
  /** Keep DynamoDB data here between runs; in memory when absent. */
  readonly dataDir?: string;
  /** Where the activity log and function logs go. @default `<dataDir>/logs`, else none */
  readonly logDir?: string;
  /** Virtual milliseconds per real millisecond. @default 1 */
  readonly speed?: number;
  /** Virtual time at start (epoch ms). @default now */
  readonly startTime?: number;
  readonly verbose?: boolean;
  readonly faults?: readonly FaultRule[];
  /** Seed for fault injection and for the delays of copies delivered again. @default 1 */
  readonly seed?: number;
  /**
   * Delivers every internal message twice, as AWS's at-least-once delivery may: rule targets,
   * standard-queue messages, schedule firings, SES events, entries put on a bus, and state
   * machines' Lambda tasks (invoked twice, the first answer dropped). @default off
   */
  readonly atLeastOnce?: AtLeastOnceOptions;
  readonly log?: ActivityLog;
  /**
   * Stretches function timeouts, which run in real time: tests set it so that a machine slowed by
   * other work never times a function out (timeouts are tested by fault injection). @default 1
   */
  readonly timeoutScale?: number;
  /**
   * Simulated recipients: the share of delivered emails opened and clicked, published as SES's
   * Open and Click events. @default none: nothing is opened or clicked
   */
  readonly recipients?: RecipientBehaviour;
  /**
   * IAM: `enforce` refuses what the template's policies do not allow, as AWS would; `warn` logs
   * it and refuses nothing; `off` evaluates nothing. @default 'enforce'
   */
  readonly iam?: IamMode;
  /**
   * Runs each function invocation in an execution environment of its own, as Lambda does (up to
   * 16 a function, each scale-out a cold start), rather than up to 16 at once in one warm
   * environment. @default false: much lighter on a laptop's cores
   */
  readonly isolateInvocations?: boolean;
}

export interface CloudUsage extends MeteredUsage {
  readonly lambda: Readonly<Record<string, Readonly<InvocationMeter & FunctionBilling>>>;
  readonly stepFunctions: Readonly<StepFunctionsMeter>;
  readonly ses: { readonly messages: number };
}

export interface LocalCloud {
  readonly endpoint: string;
  readonly sesEndpoint: string;
  readonly clock: VirtualClock;
  readonly faults: FaultInjector;
  /** Crash points: invocations ended right after one of their effects (none unless set). */
  readonly crashes: CrashPlan;
  /** The at-least-once mode: on or off, and the copies it delivered by hop. */
  readonly atLeastOnce: AtLeastOnce;
  readonly services: TargetServices;
  /** Emails accepted by SES so far. */
  readonly emailsSent: () => number;
  /** One-time schedules waiting to fire (deferred email among them). */
  readonly pendingSchedules: () => number;
  /** Everything counted so far that AWS would bill: the cost model prices it. */
  usage(): CloudUsage;
  /** Simulates a recipient opening or clicking a sent email. */
  engage(messageId: string, kind: 'open' | 'click', link?: string): boolean;
  readonly stacks: readonly StackResources[];
  /** Stack outputs, resolved to local names, by stack name. */
  readonly outputs: Readonly<Record<string, Readonly<Record<string, string>>>>;
  /**
   * Whether the cloud is idle now: no invocation, execution, delivery or request in flight, no
   * message waiting for a function, and no timer due at or before the virtual now (timers in the
   * future aside: they wait for the clock).
   */
  idle(): boolean;
  /** Resolves once the cloud is idle and stays so across a turn of the event loop. */
  settle(timeoutMs?: number): Promise<void>;
  /**
   * Deploys a new synthesis of the running stacks as `cdk deploy --hotswap` would: the functions
   * whose code, environment or description changed run the new from their next invocation (those
   * running finish on the old); state, queues and schedules stay. Returns the functions updated.
   * @throws HotswapError, changing nothing, when anything else differs (that needs a full deployment)
   */
  hotswap(assemblyDir: string): Promise<string[]>;
  stop(): Promise<void>;
}

function installPolyfills(): void {
  // aws-local-stepfunctions uses Promise.withResolvers, new in Node 22.
  const promise = Promise as unknown as { withResolvers?: () => unknown };
  promise.withResolvers ??= () => {
    let resolve: unknown;
    let reject: unknown;
    const created = new Promise((res, rej) => {
      resolve = res;
      reject = rej;
    });
    return { promise: created, resolve, reject };
  };
}

function close(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.closeAllConnections?.();
    server.close(() => resolve());
  });
}

export async function startLocalCloud(options: LocalCloudOptions): Promise<LocalCloud> {
  installPolyfills();
  // Checked before anything starts: a bad share is an error, not a cloud that never opens email.
  const recipients = options.recipients && checkBehaviour(options.recipients);
  const clock = new VirtualClock({ speed: options.speed ?? 1, ...(options.startTime !== undefined && { start: options.startTime }) });
  const logDir = options.logDir ?? (options.dataDir ? join(options.dataDir, 'logs') : undefined);
  const fileLog = new FileActivityLog(logDir ? join(logDir, 'local-cloud.log') : undefined, { verbose: options.verbose ?? false, now: () => clock.now() });
  const log = options.log ?? fileLog;
  const faults = new FaultInjector(options.seed ?? 1);
  if (options.faults) faults.set(options.faults);
  const atLeastOnce = new AtLeastOnce(clock, options.seed ?? 1);
  atLeastOnce.set(options.atLeastOnce);
  const crashes = new CrashPlan();

  // DynamoDB: dynalite in this process, on disk when a data directory is given.
  const dynamoStore = new DynaliteStore(options.dataDir && join(options.dataDir, 'dynamodb'));

  // A port that cannot be had ends the start at once, closing what was opened: nothing left to hang on.
  const ses = await startSesServer(options.sesPort ?? 8005).catch(async (error: unknown) => {
    clock.stop();
    await dynamoStore.close();
    throw error;
  });
  const meter = new UsageMeter();
  const dynamo = new MeteredDynamo({ store: dynamoStore, meter, faults });
  // Each function's SDK names it in its user agent (app/fn<n>, which Powertools may extend):
  // DynamoDB usage is counted by function.
  const callerIds = new Map<string, string>();
  const callerOf = (userAgent: string | undefined): string => callerIds.get(/(?:^|\s)app\/(fn\d+)/.exec(userAgent ?? '')?.[1] ?? '') ?? 'client';

  let services: TargetServices | undefined;
  const need = (): TargetServices => {
    if (!services) throw new AwsServiceError('ServiceUnavailable', 'the local cloud is starting', 503);
    return services;
  };
  const functionUrls = new Map<string, FunctionUrlSpec>();
  const sesDestinations: SesEventDestination[] = [];
  const sesRoute = createSesRoute({
    sesEndpoint: ses.endpoint,
    clock,
    log,
    faults,
    region: REGION,
    accountId: ACCOUNT_ID,
    destinations: () => sesDestinations,
    ...(recipients && { recipients }),
    atLeastOnce,
    publish: (busArn, entry) => need().eventBridge.putEvents([{ ...entry, EventBusName: busArn }]),
  });
  const secrets = new SecretsService({ ...(options.dataDir && { stateFile: join(options.dataDir, 'secrets.json') }), now: () => clock.now() });
  let scheduler: SchedulerApi | undefined;
  // Set once the template is read; requests before then find the services starting.
  let iam: CloudIam | undefined;
  const edge = createEdgeServer({
    invocations: {
      refuses: (request) => crashes.isDead(request),
      afterApplied: (request) => {
        const mode = crashes.applied(request);
        const invocation = invocationOf(request);
        if (!mode || !invocation) return 'answer';
        need().lambda.endInvocation(invocation.function, invocation.id, mode);
        return 'end';
      },
    },
    authorize: (request) => (iam ? iam.authorizeEdge(request) : Promise.resolve()),
    httpRoutes: [
      {
        pathPrefix: FUNCTION_URL_PREFIX,
        handle: (request) =>
          serveFunctionUrl(request, {
            urls: functionUrls,
            invoke: (name, event) => need().lambda.invoke(name, event),
            // Functions sign with the cloud's virtual time, callers outside it with the host's.
            authorize: (signed, url) =>
              iam
                ? iam.authorizeFunctionUrl(signed, url, [clock.now(), Date.now()])
                : Promise.reject(new AwsServiceError('ServiceUnavailable', 'the local cloud is starting', 503)),
            now: clock.now(),
          }),
      },
      { pathPrefix: INVOKE_PATH_PREFIX, handle: (request) => serveInvoke(request, () => need().lambda) },
      sesRoute,
      {
        pathPrefix: '/schedules',
        handle: (request) => (scheduler ? scheduler.handle(request) : Promise.reject(new AwsServiceError('ServiceUnavailable', 'starting', 503))),
      },
    ],
    jsonServices: [
      { targetPrefix: 'AWSEvents', handle: (action, input) => need().eventBridge.handle(action, input) },
      { targetPrefix: 'AWSStepFunctions', handle: (action, input) => need().stepFunctions.handle(action, input) },
      { targetPrefix: 'AmazonSQS', handle: (action, input) => need().sqs.handle(action, input) },
      { targetPrefix: 'secretsmanager', handle: (action, input) => secrets.handle(action, input) },
      { targetPrefix: 'DynamoDB_20120810', handle: (action, input, context) => dynamo.call(action, input, callerOf(context?.userAgent)) },
    ],
    restProxies: [{ pathPrefix: '/v2/email/', target: { host: '127.0.0.1', port: ses.port } }],
    control: (method, path, body) => control(method, path, body),
  });
  // Requests the edge is answering: a caller's work in progress.
  let edgeRequests = 0;
  edge.on('request', (_request, response: ServerResponse) => {
    edgeRequests++;
    response.once('close', () => edgeRequests--);
  });
  const port = await listen(edge, options.port ?? 4566).catch(async (error: unknown) => {
    clock.stop();
    await Promise.all([dynamoStore.close(), close(ses.server)]);
    throw portError(error, options.port ?? 4566, 'endpoint');
  });
  const endpoint = `http://127.0.0.1:${port}`;
  const env = { region: REGION, accountId: ACCOUNT_ID, partition: 'aws', urlSuffix: 'amazonaws.com', endpoint };

  const stacks = readAssembly(options.assemblyDir).map((stack) => ({ stack, resources: readResources(stack, { ...env, stackName: stack.stackName }) }));
  const tables = stacks.flatMap(({ stack, resources }) =>
    tablesOf(stack.template).map((table) => ({ ...table, name: resources.names.get(table.logicalId)?.name ?? table.input.TableName ?? table.logicalId })),
  );
  const partitionKeys = new Map<string, string | undefined>();
  for (const table of tables) {
    const hashOf = (schema: readonly { KeyType?: string; AttributeName?: string }[] | undefined) =>
      schema?.find((key) => key.KeyType === 'HASH')?.AttributeName;
    partitionKeys.set(table.name, hashOf(table.input.KeySchema));
    for (const index of [...(table.input.GlobalSecondaryIndexes ?? []), ...(table.input.LocalSecondaryIndexes ?? [])])
      partitionKeys.set(`${table.name}/${index.IndexName}`, hashOf(index.KeySchema));
  }
  iam = new CloudIam({
    mode: options.iam ?? 'enforce',
    book: mergePolicyBooks(stacks.map(({ resources }) => resources.policies)),
    log,
    region: REGION,
    accountId: ACCOUNT_ID,
    partitionKeyOf: (table, index) => partitionKeys.get(index ? `${table}/${index}` : table),
  });
  const cloudIam = iam;
  await cloudIam.ready();
  /** Sends to an ARN once the caller is allowed to. */
  const sendAs = async (caller: Caller, arn: string, input: string, sendOptions: SendOptions = {}): Promise<void> => {
    await cloudIam.authorizeDelivery(caller, arn);
    return sendToArn(need(), arn, input, sendOptions);
  };

  const sqs = new SqsService({ clock, log, region: REGION, accountId: ACCOUNT_ID, meter, atLeastOnce });
  const lambda = new LambdaService({
    clock,
    clockState: clock.state,
    log,
    faults,
    ...(logDir && { logsDir: join(logDir, 'functions') }),
    onInvoke: (name, requestId, payload) => crashes.begin(name, requestId, payload),
    deliver: (arn, payload, from) => sendAs(cloudIam.asRole(from.roleArn, from.name), arn, JSON.stringify(payload)),
    ...(options.timeoutScale && { timeoutScale: options.timeoutScale }),
    ...(options.isolateInvocations && { scaling: ISOLATED }),
  });
  const sesClient = new SESv2Client({ endpoint: ses.endpoint, region: REGION, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  const stepFunctions = new StepFunctionsService({
    clock,
    log,
    region: REGION,
    accountId: ACCOUNT_ID,
    runTask: (resource, input, machine) => {
      const caller = cloudIam.asRole(machine.roleArn, machine.name);
      return runTask(
        {
          invokeFunction: async (name, payload) => {
            await cloudIam.authorizeDelivery(caller, name);
            // A task whose answer was lost is retried: the function runs again with the same input.
            return atLeastOnce.twice('states.task', () => lambda.invoke(name, payload));
          },
          callService: async (service, action, params) => {
            await cloudIam.authorizeTask(caller, service, action, params);
            switch (service) {
              case 'sqs':
                return sqs.handle(action, params);
              case 'events':
                return eventBridge.handle(action, params);
              case 'states':
                return stepFunctions.handle(action, params);
              case 'dynamodb':
                return dynamo.call(action, params, 'step-functions');
              case 'sesv2':
                return callSes(sesClient, action, params);
            }
          },
        },
        resource,
        input,
      );
    },
  });
  const eventBridge = new EventBridgeService({
    clock,
    log,
    faults,
    region: REGION,
    accountId: ACCOUNT_ID,
    meter,
    atLeastOnce,
    // A target with a role is sent to as that role; without one, EventBridge itself sends, as the
    // target's resource policy allows (a Lambda permission, a queue policy), for the rule.
    deliver: (arn, input, target, event, rule) =>
      sendAs(target.RoleArn ? cloudIam.asRole(target.RoleArn, rule.name) : cloudIam.asService('events.amazonaws.com', rule.arn), arn, input, {
        ...(target.SqsParameters?.MessageGroupId && { messageGroupId: target.SqsParameters.MessageGroupId }),
        event,
      }),
    deadLetter: (queueArn, body, attributes) => {
      cloudIam
        .authorizeDelivery(cloudIam.asService('events.amazonaws.com', attributes.RULE_ARN ?? ''), queueArn)
        .then(() =>
          sqs.sendMessage(queueArn, body, {
            messageAttributes: Object.fromEntries(Object.entries(attributes).map(([name, value]) => [name, { DataType: 'String', StringValue: value }])),
          }),
        )
        .catch((error: unknown) => log.record({ what: 'events.dead-letter', resource: queueArn, outcome: 'failed', detail: (error as Error).message }));
    },
  });
  services = { sqs, lambda, stepFunctions, eventBridge };
  scheduler = new SchedulerApi({
    clock,
    log,
    region: REGION,
    accountId: ACCOUNT_ID,
    meter,
    atLeastOnce,
    send: (arn, input, roleArn, attributes) =>
      sendAs(cloudIam.asRole(roleArn, 'scheduler'), arn, input, attributes ? { messageAttributes: { ...attributes } } : {}),
  });

  const cancelSchedules: (() => void)[] = [];
  for (const { resources } of stacks) {
    for (const bus of resources.buses) eventBridge.addBus(bus);
    for (const queue of resources.queues) sqs.createQueue(queue);
    for (const fn of resources.functions) {
      const callerId = `fn${callerIds.size + 1}`;
      callerIds.set(callerId, fn.name);
      lambda.add({ ...fn, environment: { ...fn.environment, AWS_SDK_UA_APP_ID: callerId, ...cloudIam.functionCredentials(fn.roleArn, fn.name) } });
    }
    for (const url of resources.functionUrls) functionUrls.set(url.functionName, url);
    for (const secret of resources.secrets) secrets.add(secret);
    sesDestinations.push(...resources.sesDestinations);
    for (const machine of resources.machines) stepFunctions.add(machine);
    for (const rule of resources.rules) eventBridge.addRule(rule);
    for (const mapping of resources.mappings) {
      // Lambda polls the queue as the function's role: a role that may not is refused the mapping.
      const role = resources.functions.find((fn) => fn.name === mapping.functionName)?.roleArn;
      if (!(await cloudIam.mayPoll(cloudIam.asRole(role, mapping.functionName), mapping.queueArn))) continue;
      sqs.addEventSourceMapping({ ...mapping, invoke: (event) => lambda.invoke(mapping.functionName, event) });
    }
    for (const table of tablesOf(stacks.find((entry) => entry.resources === resources)?.stack.template ?? { Resources: {} })) {
      const name = resources.names.get(table.logicalId)?.name ?? table.input.TableName ?? table.logicalId;
      dynamo.addTable({ ...table.input, TableName: name });
      try {
        await dynamoStore.call('CreateTable', { ...table.input, TableName: name });
      } catch (error) {
        // With a data directory the table is there from a previous run.
        if (!(error instanceof AwsServiceError && error.code === 'ResourceInUseException')) throw error;
      }
    }
    const fireSchedule = (arn: string, input: string, roleArn: string | undefined) => sendAs(cloudIam.asRole(roleArn, 'scheduler'), arn, input);
    cancelSchedules.push(
      ...startSchedules(resources.schedules, clock, log, (arn, input, roleArn) => {
        // The template's schedules invoke at least once too: the copy's failure is logged, as the first's is.
        atLeastOnce.again(
          'scheduler',
          { resources: [arn], content: `${input}\u0000${clock.now()}` },
          () =>
            void fireSchedule(arn, input, roleArn).catch((error: unknown) =>
              log.record({ what: 'scheduler.invoke', resource: arn, outcome: 'failed', detail: (error as Error).message }),
            ),
        );
        return fireSchedule(arn, input, roleArn);
      }),
    );
  }

  const outputs = Object.fromEntries(stacks.map(({ resources }) => [resources.stackName, resources.outputs]));

  async function hotswap(assemblyDir: string): Promise<string[]> {
    // Every stack is checked before anything changes: a refused deployment changes nothing.
    const plans = readAssembly(assemblyDir).map((stack) => {
      const index = stacks.findIndex((entry) => entry.stack.stackName === stack.stackName);
      const deployed = stacks[index];
      if (!deployed) throw new HotswapError(`${stack.stackName} is not deployed here: a new stack needs a full deployment`);
      return { index, stack, changed: hotswapFunctions(stack.stackName, deployed.stack.template, stack.template) };
    });
    const updated: string[] = [];
    for (const plan of plans) {
      const resources = readResources(plan.stack, { ...env, stackName: plan.stack.stackName });
      for (const logicalId of plan.changed) {
        const fn = resources.functions.find((each) => each.name === resources.names.get(logicalId)?.name);
        if (!fn) continue;
        const callerId = [...callerIds].find(([, name]) => name === fn.name)?.[0] ?? '';
        lambda.update({ ...fn, environment: { ...fn.environment, AWS_SDK_UA_APP_ID: callerId, ...cloudIam.functionCredentials(fn.roleArn, fn.name) } });
        log.record({ what: 'lambda.update', resource: fn.name, outcome: 'hotswapped' });
        updated.push(fn.name);
      }
      stacks[plan.index] = { stack: plan.stack, resources };
    }
    return updated;
  }

  async function control(method: string, path: string, body: unknown): Promise<unknown> {
    const request = (body ?? {}) as { advance?: string; speed?: number; rules?: FaultRule[]; seed?: number };
    if (path === '/health') return { ready: true, now: new Date(clock.now()).toISOString(), speed: clock.speed, outputs };
    if (path === '/clock' && method === 'POST') {
      if (request.speed !== undefined) clock.setSpeed(request.speed);
      if (request.advance !== undefined) clock.advance(parseDuration(request.advance));
      return { now: new Date(clock.now()).toISOString(), speed: clock.speed };
    }
    if (path === '/clock') return { now: new Date(clock.now()).toISOString(), speed: clock.speed };
    if (path === '/ses/engage' && method === 'POST') {
      const engagement = (body ?? {}) as { messageId?: string; kind?: 'open' | 'click'; link?: string };
      return { engaged: sesRoute.engage(String(engagement.messageId), engagement.kind === 'click' ? 'click' : 'open', engagement.link) };
    }
    if (path === '/hotswap' && method === 'POST') {
      const { assemblyDir } = (body ?? {}) as { assemblyDir?: unknown };
      if (typeof assemblyDir !== 'string') throw new AwsServiceError('ValidationException', 'assemblyDir: the cloud assembly to deploy', 400);
      try {
        return { updated: await hotswap(assemblyDir) };
      } catch (error) {
        if (error instanceof HotswapError || error instanceof AssemblyError) throw new AwsServiceError('ValidationException', error.message, 400);
        throw error;
      }
    }
    if (path === '/faults' && method === 'POST') {
      faults.set(request.rules ?? [], request.seed);
      return { rules: faults.active };
    }
    throw new AwsServiceError('UnknownOperationException', `no local control at ${method} ${path}`, 404);
  }

  const isBusy = (): boolean => {
    const queuesBusy = stacks.some(({ resources }) =>
      resources.mappings.some((mapping) => {
        return sqs.stats(mapping.queueArn).visible > 0;
      }),
    );
    return (
      stepFunctions.busy > 0 ||
      cloudIam.pending > 0 ||
      eventBridge.deliveriesRunning > 0 ||
      lambda.running > 0 ||
      queuesBusy ||
      edgeRequests > 0 ||
      clock.overdue > 0
    );
  };

  return {
    endpoint,
    sesEndpoint: ses.endpoint,
    clock,
    faults,
    crashes,
    atLeastOnce,
    services,
    emailsSent: sesRoute.sent,
    usage: () => ({
      ...meter.snapshot(),
      lambda: Object.fromEntries([...lambda.meter].map(([name, usage]) => [name, { ...usage, ...lambda.billingOf(name) }])),
      stepFunctions: { ...stepFunctions.meter, standardStates: { ...stepFunctions.meter.standardStates }, logBytes: { ...stepFunctions.meter.logBytes } },
      ses: { messages: sesRoute.sent() },
    }),
    pendingSchedules: () => scheduler?.list().length ?? 0,
    engage: (messageId, kind, link) => sesRoute.engage(messageId, kind, link),
    stacks: stacks.map((entry) => entry.resources),
    outputs,
    idle: () => !isBusy(),
    async settle(timeoutMs = 60_000) {
      const deadline = Date.now() + timeoutMs;
      // Idle, and still idle once the event loop has run what was already queued (a worker's
      // answer, an HTTP response): work handed over that way has then shown up as busy.
      for (let idleTurns = 0; idleTurns < 2; ) {
        if (Date.now() > deadline) throw new Error('the local cloud did not settle in time');
        const idleNow = !isBusy();
        idleTurns = idleNow ? idleTurns + 1 : 0;
        // While busy, look again shortly; while idle, after one turn of the event loop.
        await new Promise((resolve) => (idleNow ? setImmediate(resolve) : setTimeout(resolve, 5)));
      }
    },
    hotswap,
    async stop() {
      for (const cancel of cancelSchedules) cancel();
      scheduler?.close();
      eventBridge.close();
      sqs.close();
      await stepFunctions.close();
      await lambda.close();
      clock.stop();
      fileLog.flush();
      sesClient.destroy();
      await Promise.all([close(edge), close(ses.server), dynamoStore.close()]);
    },
  };
}
