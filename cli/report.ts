/** `lifecycle report`: the funnel, journeys, support and satisfaction, in the terminal and as an HTML page. */
import { writeFileSync } from 'node:fs';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SingleBar } from 'cli-progress';
import { Command } from 'commander';
import { loadDefinitions } from '#infra/definitions.ts';
import { createDocumentClient } from '#shared/clients/dynamodb.ts';
import { measuresLift } from '#shared/journeys/definition.ts';
import { buildReport } from '#shared/reporting/build-report.ts';
import { collectReportData } from '#shared/reporting/collect-report-data.ts';
import { renderHtml } from '#shared/reporting/render-html.ts';
import { renderTerminal } from '#shared/reporting/render-terminal.ts';
import { printJson, reportErrors } from './output.ts';
import { resolveTarget, withTargetOptions, type TargetOptions } from './target.ts';

export function reportCommand(): Command {
  const command = new Command('report')
    .description('The funnel by stage, journey results, support automation and satisfaction over time')
    .option('--html <file>', 'also write a self-contained HTML page with charts')
    .option('--json', 'print the report as JSON');
  return withTargetOptions(command).action((options: TargetOptions & { html?: string; json?: boolean }) =>
    reportErrors(async () => {
      const { journeys } = await loadDefinitions();
      const target = await resolveTarget(options);
      const client = new DynamoDBClient(target.clientConfig);
      const bar = options.json ? undefined : new SingleBar({ format: 'Reading customers {value}', noTTYOutput: true, notTTYSchedule: 2000 });
      bar?.start(0, 0);
      const data = await collectReportData({
        ddb: createDocumentClient(client),
        tableName: target.tableName,
        now: new Date(target.now()),
        source: options.stack ? `stack ${options.stack}` : `local cloud at ${target.endpoint ?? ''}`,
        journeys: journeys.map((journey) => ({ name: journey.name, version: journey.version, measuresLift: measuresLift(journey) })),
        onProgress: (read) => bar?.update(read),
      });
      bar?.stop();
      client.destroy();
      const report = buildReport(data);
      if (options.html) writeFileSync(options.html, renderHtml(report));
      if (options.json) return printJson(report);
      console.log(renderTerminal(report));
      if (options.html) console.log(`\nWrote the report with charts to ${options.html}`);
    }),
  );
}
