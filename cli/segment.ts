/** `lifecycle segment list | show`. */
import { writeFileSync } from 'node:fs';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { Command } from 'commander';
import { loadDefinitions } from '#infra/definitions.ts';
import { createDocumentClient } from '#shared/clients/dynamodb.ts';
import { describe } from '#shared/conditions/condition.ts';
import type { Profile } from '#shared/profile/profile.ts';
import { planSegment, segmentMembers } from '#shared/segments/index.ts';
import { readSnapshot } from '#shared/segments/snapshot.ts';
import { printJson, printTable, reportErrors } from './output.ts';
import { resolveTarget, withTargetOptions, type TargetOptions } from './target.ts';

const csvCell = (value: string): string => (/[",\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value);

function listCommand(): Command {
  return new Command('list')
    .description('The segments in the repository and who they hold')
    .option('--json', 'print as JSON')
    .action((options: { json?: boolean }) =>
      reportErrors(async () => {
        const { segments } = await loadDefinitions();
        if (options.json) return printJson(segments);
        printTable(
          ['segment', 'schedule', 'conditions', 'description'],
          segments.map((segment) => [segment.name, segment.schedule ?? '-', describe(segment.conditions), segment.description]),
        );
      }),
    );
}

function showCommand(): Command {
  const command = new Command('show')
    .description('Evaluate a segment now: member count, the first members, and an export of all of them')
    .argument('<segment>', 'the segment name')
    .option('--export <file.csv>', 'write every member (customer id, stage, last active) to a CSV file')
    .option('--limit <n>', 'how many members to list', '20')
    .option('--json', 'print as JSON');
  return withTargetOptions(command).action((name: string, options: TargetOptions & { export?: string; limit: string; json?: boolean }) =>
    reportErrors(async () => {
      const { segments } = await loadDefinitions();
      const segment = segments.find((candidate) => candidate.name === name);
      if (!segment) throw new Error(`no segment ${name}; see lifecycle segment list`);
      const target = await resolveTarget(options);
      const client = new DynamoDBClient(target.clientConfig);
      const deps = { ddb: createDocumentClient(client), tableName: target.tableName, now: target.now, consentMode: target.consentMode };
      const members: Profile[] = [];
      let examined = 0;
      for await (const profile of segmentMembers(deps, segment, { onProgress: (count) => (examined = count) })) members.push(profile);
      const scheduled = await readSnapshot(deps, name);
      client.destroy();
      const plan = planSegment(segment);
      if (options.export) {
        const rows = members.map((member) => [member.customerId, member.stage, member.lastActivityAt].map(csvCell).join(','));
        writeFileSync(options.export, `customerId,stage,lastActivityAt\n${rows.join('\n')}\n`);
      }
      const summary = {
        segment: name,
        members: members.length,
        examined,
        plan,
        conditions: describe(segment.conditions),
        ...(scheduled && { lastScheduled: { members: scheduled.members, evaluatedAt: scheduled.evaluatedAt } }),
      };
      if (options.json) return printJson({ ...summary, customerIds: members.map((member) => member.customerId) });
      console.log(
        `Segment ${name}: ${members.length} members (${examined} profiles examined, ${plan.kind === 'stage-index' ? `stage index: ${plan.stages.join(', ')}` : 'parallel scan'})`,
      );
      console.log(`  ${summary.conditions}`);
      if (scheduled) console.log(`  last scheduled evaluation: ${scheduled.members} members at ${scheduled.evaluatedAt}`);
      printTable(
        ['customer', 'stage', 'last active'],
        members.slice(0, Number(options.limit)).map((member) => [member.customerId, member.stage, member.lastActivityAt]),
      );
      if (options.export) console.log(`\nWrote ${members.length} members to ${options.export}`);
    }),
  );
}

export function segmentCommand(): Command {
  return new Command('segment').description('Segments').addCommand(listCommand()).addCommand(showCommand());
}
