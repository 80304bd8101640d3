import { mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Duration, RemovalPolicy, Stack, Stage, Validations } from 'aws-cdk-lib';
import { metricsNamespace } from '#shared/decisions.ts';
import { ServicePrincipal, Role } from 'aws-cdk-lib/aws-iam';
import { Architecture, LoggingFormat, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import { LogLevel, NodejsFunction, OutputFormat, type BundlingOptions } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { functionEntry, REPO_ROOT } from '../paths.ts';

export interface BaseFunctionProps {
  /** The handler's file under `functions/`, without the extension, e.g. `record-event`. */
  readonly handler: string;
  readonly description: string;
  /** Where failed asynchronous invocations go after Lambda's retries. */
  readonly failureQueue: IQueue;
  readonly logRetention: RetentionDays;
  /** @default 256 */
  readonly memorySize?: number;
  /** @default Duration.seconds(10) */
  readonly timeout?: Duration;
  readonly environment?: Readonly<Record<string, string>>;
  /** Constants compiled into the bundle (esbuild `define`): identifier → JavaScript expression. */
  readonly define?: Readonly<Record<string, string>>;
  /** Folders of the repository copied next to the bundle (e.g. email templates), as `to` in the code directory. */
  readonly assets?: readonly { readonly from: string; readonly to: string }[];
  /**
   * Files made at synthesis and put next to the bundle, name → content: data the function would
   * otherwise build at every cold start (too big for `define`, which goes on esbuild's command line).
   */
  readonly files?: Readonly<Record<string, string>>;
}

/**
 * Writes `files` into a folder of the cloud assembly being synthesized, one per function (written
 * over at the next synthesis); returns the commands that copy them next to the bundle.
 */
function stageFiles(scope: Construct, id: string, files: Readonly<Record<string, string>> = {}): ((outputDir: string) => string)[] {
  const names = Object.keys(files);
  if (names.length === 0) return [];
  const dir = join(Stage.of(scope)?.outdir ?? tmpdir(), 'function-files', `${scope.node.path}/${id}`.replace(/[^A-Za-z0-9-]/g, '-'));
  mkdirSync(dir, { recursive: true });
  return names.map((name) => {
    writeFileSync(join(dir, name), files[name] ?? '');
    return (outputDir) => `cp "${join(dir, name)}" "${outputDir}/${name}"`;
  });
}

/**
 * How every function is bundled: one ESM file with its dependencies except the AWS SDK, minified,
 * without source maps. Exported so that the bundle benchmark builds its bare baseline handler the
 * same way.
 */
export const BUNDLING = {
  format: OutputFormat.ESM,
  // The same bundle runs in the local cloud, on the developer's Node (20 or later), so the
  // syntax target is Node 20 rather than the runtime's.
  target: 'node20',
  minify: true,
  sourceMap: false,
  // Text as UTF-8 rather than \u escapes: the bundled libraries carry messages in many scripts
  // (Korean, Cyrillic, Thai…), which escaped take twice the bytes or more; Lambda and Node read
  // modules as UTF-8. Passed as an argument because this aws-cdk-lib ignores its `charset` option.
  esbuildArgs: { '--charset': 'utf8' },
  // ES module builds first: esbuild can drop what a handler never imports from them.
  mainFields: ['module', 'main'],
  // The AWS SDK v3 (its `@aws-sdk/*` packages and the `@smithy/*` ones they are built on) comes with
  // Lambda's Node.js runtimes, so it is left out of the bundles, as NodejsFunction does by default:
  // it is most of a bundle's bytes (a handler that only reads DynamoDB bundles to over 300 KB) and
  // the runtime loads its copy from local disk. The price: the deployed functions run the SDK
  // version of the runtime, which AWS updates, not the one package.json pins and the tests run
  // (the local cloud loads the project's own from node_modules). The code uses only long-standing
  // SDK features (document client, conditional writes, consumed capacity), for which a version
  // difference does not matter; a function that comes to need a newer SDK than the runtime has
  // takes its package out of this list and bundles it.
  externalModules: ['@aws-sdk/*', '@smithy/*'],
  // Some bundled CommonJS dependencies call require() for Node built-ins, which an ES module lacks.
  banner: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
  // esbuild says only what went wrong: a size and a time per function, a dozen times a synth, is noise.
  logLevel: LogLevel.ERROR,
} satisfies BundlingOptions;

/**
 * The one way this app makes a Lambda function: the newest Node.js runtime, arm64, active
 * tracing, JSON logs in a log group with a retention, an explicit timeout and memory size, and a
 * failure destination. The code is bundled with its dependencies except the AWS SDK, which the
 * runtime provides (see BUNDLING).
 */
export class BaseFunction extends NodejsFunction {
  constructor(scope: Construct, id: string, props: BaseFunctionProps) {
    const logGroup = new LogGroup(scope, `${id}Logs`, {
      retention: props.logRetention,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    // Its own role, allowed to write to its own log group only, rather than the managed basic
    // execution policy (which lets a function create and write any log group).
    const role = new Role(scope, `${id}Role`, {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `Runs the ${props.handler} function`,
    });
    logGroup.grantWrite(role);
    const copyFiles = stageFiles(scope, id, props.files);
    const copyAssets = (props.assets ?? []).map(
      (asset) => (outputDir: string, inputDir: string) => `cp -R "${inputDir}/${asset.from}" "${outputDir}/${asset.to}"`,
    );
    super(scope, id, {
      entry: functionEntry(props.handler),
      handler: 'handler',
      description: props.description,
      runtime: Runtime.NODEJS_24_X,
      architecture: Architecture.ARM_64,
      memorySize: props.memorySize ?? 256,
      timeout: props.timeout ?? Duration.seconds(10),
      tracing: Tracing.ACTIVE,
      loggingFormat: LoggingFormat.JSON,
      logGroup,
      role,
      onFailure: new SqsDestination(props.failureQueue),
      retryAttempts: 2,
      projectRoot: REPO_ROOT,
      depsLockFilePath: `${REPO_ROOT}package-lock.json`,
      // Without the switch that silences the AWS SDK's notice about the Node version: the runtime
      // above gets none, and the day the SDK leaves that runtime behind, the logs should say so.
      environment: {
        POWERTOOLS_SERVICE_NAME: props.handler,
        // The stack's own metrics (decisions not to act): one namespace per deployment, as the dashboard reads them.
        POWERTOOLS_METRICS_NAMESPACE: metricsNamespace(Stack.of(scope).stackName),
        ...props.environment,
      },
      bundling: {
        ...BUNDLING,
        ...(props.define && { define: { ...props.define } }),
        ...(copyAssets.length + copyFiles.length > 0 && {
          commandHooks: {
            beforeBundling: () => [],
            beforeInstall: () => [],
            afterBundling: (inputDir: string, outputDir: string) => [...copyAssets, ...copyFiles].map((copy) => copy(outputDir, inputDir)),
          },
        }),
      },
    });
    Validations.of(this).acknowledge({
      id: 'Serverless::Serverless-LambdaDLQ',
      reason:
        'Failed asynchronous invocations go to an on-failure destination (an SQS queue), which keeps the request together with the error; a dead-letter queue would keep less.',
    });
    Validations.of(role).acknowledge({
      id: 'AwsSolutions::AwsSolutions-IAM5[Resource::*]',
      reason: 'X-Ray PutTraceSegments and PutTelemetryRecords (active tracing) support no resource-level permissions.',
    });
  }
}
