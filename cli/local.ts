/**
 * `lifecycle local start` (what `npm start` runs) and `lifecycle local advance`.
 */
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Command, Option } from 'commander';
import { REPO_ROOT } from '#infra/paths.ts';
import type { DemoSummary } from '#cli/demo/summary.ts';
import type { IamMode } from '#local/iam/authorizer.ts';
import type { LocalCloud } from '#local/local-cloud.ts';
import { PortUnavailableError, ensurePortFree, portError, type PortUser } from '#local/ports.ts';
import { renderHtml } from '#shared/reporting/render-html.ts';
import { renderTerminal } from '#shared/reporting/render-terminal.ts';
import { printJson, printTable, reportErrors } from './output.ts';
import { DEFAULT_ENDPOINT } from './target.ts';

interface StartOptions {
  readonly port: string;
  readonly sesPort: string;
  readonly consolePort: string;
  readonly dataDir?: string;
  readonly speed: string;
  readonly demo: boolean;
  readonly customers: string;
  readonly seed: string;
  readonly verbose?: boolean;
  readonly assembly: string;
  readonly openRate: string;
  readonly clickRate: string;
  readonly iam: IamMode;
  /** `true` for the flag alone, the bound in seconds when given one. */
  readonly atLeastOnce?: true | string;
}

function printBanner(cloud: LocalCloud, consoleUrl: string, logDir: string, iam: IamMode): void {
  const [outputs = {}] = Object.values(cloud.outputs);
  console.log(`
Local cloud running on ${cloud.endpoint}
  SES inbox       ${cloud.sesEndpoint}
  console         ${consoleUrl}
  event bus       ${outputs.EventBusName}
  profile table   ${outputs.ProfileTableName}
  logs            ${logDir}
  clock           ${new Date(cloud.clock.now()).toISOString()} (speed ${cloud.clock.speed})
  IAM             ${iam}

Emit an event:
  npx lifecycle emit order.placed --customer '{"id":"c-1"}' \\
    --data '{"orderId":"o-1","items":[{"productId":"p-1","quantity":1,"price":42}],"total":42,"currency":"EUR"}'
or point any AWS SDK or the AWS CLI at it:
  AWS_ENDPOINT_URL=${cloud.endpoint} aws events put-events --entries file://events.json
`);
}

function printSummary(summary: DemoSummary, cloud: LocalCloud, consoleUrl: string, reportFile: string): void {
  const { report } = summary;
  console.log("\nDemo summary (the figures are the report's)");
  printTable(
    ['what', 'count'],
    [
      ['people simulated', summary.peopleSimulated],
      ['  customers (left an email address)', report.customers],
      ['  anonymous visitors', report.anonymousVisitors],
      ['events sent', summary.eventsSent],
      ['  recorded', report.events.recorded],
      ['  rejected (malformed, parked with the reason)', summary.eventsRejected],
      ['stage changes', report.events.stageChanges],
      ['emails sent', report.emails.sent],
      ['emails deferred past quiet hours', report.emails.deferred],
      ...Object.entries(report.emails.skipped).map(([reason, count]) => [`emails skipped: ${reason}`, count] as [string, number]),
      ['journey runs converted', `${report.journeys.totals.converted} of ${report.journeys.totals.entered}`],
      ['support requests (open)', `${report.support.requests} (${report.support.open})`],
      ['surveys answered (one click)', summary.surveysAnswered],
      ['throughput (events/second, end to end)', summary.eventsPerSecond.toFixed(1)],
    ],
  );
  console.log(`\n${renderTerminal(summary.report)}`);
  writeFileSync(reportFile, renderHtml(summary.report));
  console.log(`
Where to look:
  the report       ${reportFile} (open it in a browser; npx lifecycle report --html FILE writes it again)
  inbox            ${cloud.sesEndpoint}
  a profile        npx lifecycle profile show ${summary.sampleCustomerId}
  the console      ${consoleUrl}
  a journey        npx lifecycle journey stats win-back
  move time on     npx lifecycle local advance 3d
Press Ctrl-C to stop.`);
}

/** The option that sets the port each part of the local cloud listens on. */
const PORT_OPTIONS: Readonly<Record<PortUser, string>> = { endpoint: '--port', 'SES inbox': '--ses-port', console: '--console-port' };

/** `--at-least-once [seconds]`: off without the flag, the default bound with it alone. */
function atLeastOnceOption(value: true | string | undefined): { maxDelaySeconds?: number } | undefined {
  if (value === undefined) return undefined;
  if (value === true) return {};
  const seconds = Number(value);
  if (!/^\d+(\.\d+)?$/.test(value) || !Number.isFinite(seconds)) throw new Error(`--at-least-once takes a number of seconds of 0 or more, not ${value}`);
  return { maxDelaySeconds: seconds };
}

function portOption(value: string, option: string): number {
  const port = Number(value);
  if (!/^\d+$/.test(value) || port > 65_535) throw new Error(`${option} must be a port number from 0 to 65535 (0: any free port), not ${value}`);
  return port;
}

/** A port the cloud cannot have, told with the option that changes it. */
function withPortOption(error: unknown): never {
  if (!(error instanceof PortUnavailableError)) throw error;
  const option = PORT_OPTIONS[error.user];
  throw new Error(`${error.message}. Stop what uses it, or choose another port with ${option} <n> (${option} 0 takes any free one).`);
}

function startCommand(): Command {
  return new Command('start')
    .description('Run the synthesized stack on this machine, with a demo population (what npm start runs)')
    .option('--port <n>', 'the endpoint port', '4566')
    .option('--ses-port <n>', 'the SES inbox port', '8005')
    .option('--console-port <n>', 'the marketing and operations console port (loopback only)', '8080')
    .option('--data-dir <dir>', 'keep DynamoDB data and logs here between runs (default: in memory)')
    .option('--speed <n>', 'virtual seconds per real second', '1')
    .option('--no-demo', 'start the cloud only, without the demo')
    .option('--customers <n>', 'how many customers the demo simulates', '200')
    .option('--seed <n>', 'the demo population seed', '1')
    .option('--verbose', 'echo every execution, invocation and delivery')
    .option('--open-rate <share>', 'the share of delivered emails simulated recipients open (0 for none)', '0.3')
    .option('--click-rate <share>', 'the share of delivered emails simulated recipients click, at most the open rate', '0.05')
    .option('--at-least-once [seconds]', 'deliver every internal message twice, as AWS may, the copy up to this many virtual seconds later (default 60)')
    .addOption(
      new Option('--iam <mode>', "IAM: enforce refuses what the template's policies do not allow, warn only logs it, off evaluates nothing")
        .choices(['enforce', 'warn', 'off'])
        .default('enforce'),
    )
    .addOption(new Option('--assembly <dir>', 'the cloud assembly to run').default(join(REPO_ROOT, 'cdk.out')))
    .action((options: StartOptions) =>
      reportErrors(async () => {
        // Bad input and taken ports first, before the synthesis makes anyone wait.
        const port = portOption(options.port, '--port');
        const sesPort = portOption(options.sesPort, '--ses-port');
        const consolePort = portOption(options.consolePort, '--console-port');
        const atLeastOnce = atLeastOnceOption(options.atLeastOnce);
        await Promise.all([ensurePortFree(port, 'endpoint'), ensurePortFree(sesPort, 'SES inbox'), ensurePortFree(consolePort, 'console')]).catch(
          withPortOption,
        );
        // Loaded here, not at the top: other commands should start without the CDK and the local cloud.
        const [{ isAssemblyStale }, { synthesize }, { startLocalCloud }, { runDemo }, { loadDefinitions }, { startConsole }] = await Promise.all([
          import('#local/assembly-freshness.ts'),
          import('#infra/lifecycle-app.ts'),
          import('#local/local-cloud.ts'),
          import('#cli/demo/run-demo.ts'),
          import('#infra/definitions.ts'),
          import('#console/index.ts'),
        ]);
        if (isAssemblyStale(REPO_ROOT, options.assembly)) {
          console.log('Synthesizing the CDK app…');
          await synthesize({ outdir: options.assembly });
        }
        const logDir = options.dataDir ? join(options.dataDir, 'logs') : join(REPO_ROOT, '.lifecycle', 'logs');
        const cloud = await startLocalCloud({
          assemblyDir: options.assembly,
          port,
          sesPort,
          ...(options.dataDir && { dataDir: options.dataDir }),
          logDir,
          speed: Number(options.speed),
          verbose: options.verbose ?? false,
          iam: options.iam,
          ...(atLeastOnce && { atLeastOnce }),
          // Drawn from the demo's seed: the same run opens and clicks the same emails.
          recipients: { openRate: Number(options.openRate), clickRate: Number(options.clickRate), seed: Number(options.seed) },
        }).catch(withPortOption);
        const definitions = await loadDefinitions();
        // Beside the cloud, as a product piece: it reads and launches through the cloud's endpoint, as the CLI does.
        const consoleServer = await startConsole({ endpoint: cloud.endpoint, port: consolePort, definitions })
          .catch(async (error: unknown) => {
            await cloud.stop();
            throw portError(error, consolePort, 'console');
          })
          .catch(withPortOption);
        const stop = async () => {
          console.log('\nStopping the local cloud…');
          await consoleServer.stop();
          await cloud.stop();
          process.exit(0);
        };
        process.once('SIGINT', () => void stop());
        process.once('SIGTERM', () => void stop());
        printBanner(cloud, consoleServer.url, logDir, options.iam);
        if (!options.demo) {
          console.log(`ready: the local cloud accepts requests on ${cloud.endpoint}`);
          return;
        }
        const summary = await runDemo(cloud, {
          customers: Number(options.customers),
          seed: Number(options.seed),
          progress: true,
          journeys: definitions.journeys,
        });
        printSummary(summary, cloud, consoleServer.url, join(options.dataDir ?? join(REPO_ROOT, '.lifecycle'), 'report.html'));
      }),
    );
}

function advanceCommand(): Command {
  return new Command('advance')
    .description("Move the local cloud's clock forward: waits, retries, delays and schedules that fall due run now")
    .argument('<duration>', 'e.g. 90s, 15m, 3h, 3d, 1w')
    .addOption(new Option('--endpoint <url>', 'the local cloud endpoint').env('LIFECYCLE_ENDPOINT').default(DEFAULT_ENDPOINT))
    .option('--json', 'print the new time as JSON')
    .action((duration: string, options: { endpoint: string; json?: boolean }) =>
      reportErrors(async () => {
        const response = await fetch(`${options.endpoint}/_local/clock`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ advance: duration }),
        });
        const body = (await response.json()) as { now?: string; message?: string };
        if (!response.ok) throw new Error(body.message ?? `the local cloud answered ${response.status}`);
        if (options.json) printJson(body);
        else console.log(`The local cloud's clock is now ${body.now}`);
      }),
    );
}

function hotswapCommand(): Command {
  return new Command('hotswap')
    .description(
      'Deploy a new synthesis (npx cdk synth) into the running local cloud, as cdk deploy --hotswap: changed functions take their new code; data, queues and waiting participants stay',
    )
    .addOption(new Option('--assembly <dir>', 'the cloud assembly to deploy').default('cdk.out'))
    .addOption(new Option('--endpoint <url>', 'the local cloud endpoint').env('LIFECYCLE_ENDPOINT').default(DEFAULT_ENDPOINT))
    .action((options: { assembly: string; endpoint: string }) =>
      reportErrors(async () => {
        const response = await fetch(`${options.endpoint}/_local/hotswap`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ assemblyDir: resolve(options.assembly) }),
        });
        const body = (await response.json()) as { updated?: string[]; message?: string };
        if (!response.ok) throw new Error(body.message ?? `the local cloud answered ${response.status}`);
        const updated = body.updated ?? [];
        console.log(
          updated.length === 0
            ? 'Nothing to deploy: no function changed.'
            : `Deployed new code to ${updated.length} function(s):\n${updated.map((name) => `  ${name}`).join('\n')}`,
        );
      }),
    );
}

export function localCommand(): Command {
  return new Command('local').description('The local cloud').addCommand(startCommand()).addCommand(advanceCommand()).addCommand(hotswapCommand());
}
