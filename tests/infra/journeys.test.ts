import { existsSync } from 'node:fs';
import { copyFile, cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Match } from 'aws-cdk-lib/assertions';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadDefinitions } from '#infra/definitions.ts';
import { synthesize } from '#infra/lifecycle-app.ts';
import { JourneyDefinition } from '#shared/journeys/definition.ts';
import { lockFile } from '#shared/journeys/fingerprint.ts';
import { REPOSITORY_JOURNEYS_DIR } from '#shared/journeys/load-journeys.ts';
import { defaultStack, synthStack } from '#tests/support/stack.ts';

const { template } = defaultStack();
const repository = await loadDefinitions();
type Resource = { Type: string; Properties: Record<string, unknown>; DeletionPolicy?: string; UpdateReplacePolicy?: string };
const resources = (type: string, prefix = '') => Object.entries(template.findResources(type)).filter(([id]) => id.startsWith(prefix)) as [string, Resource][];
const only = <T>(list: readonly T[]): T => {
  expect(list).toHaveLength(1);
  return list[0] as T;
};

describe('journeys in the stack', () => {
  it.each([
    ['welcome-series', 1],
    ['win-back', 2],
  ])('publishes %s as a retained version behind a live alias', (name, number) => {
    const prefix = `JourneysJourney${name.replaceAll('-', '')}`;
    const [machineId, machine] = only(resources('AWS::StepFunctions::StateMachine', prefix));
    expect(machine.Properties.StateMachineType).toBe('STANDARD');
    const [versionId, version] = only(resources('AWS::StepFunctions::StateMachineVersion', prefix));
    expect(version.Properties).toMatchObject({
      StateMachineArn: { Ref: machineId },
      // A new revision (an edited journey) publishes a new version; the old one is kept for its runs.
      StateMachineRevisionId: { 'Fn::GetAtt': [machineId, 'StateMachineRevisionId'] },
      Description: `${name} v${number}`,
    });
    expect([version.DeletionPolicy, version.UpdateReplacePolicy]).toEqual(['Retain', 'Retain']);
    const [, alias] = only(resources('AWS::StepFunctions::StateMachineAlias', prefix));
    expect(alias.Properties).toMatchObject({ Name: 'live', RoutingConfiguration: [{ StateMachineVersionArn: { 'Fn::GetAtt': [versionId, 'Arn'] }, Weight: 100 }] });
  });

  it('sends an event-triggered journey\'s events, filtered by its rule, to the launcher\'s gate, with a dead-letter queue', () => {
    const [, rule] = only(resources('AWS::Events::Rule', 'JourneysJourneycartrecoveryTrigger'));
    expect(rule.Properties).toMatchObject({
      EventBusName: { Ref: expect.stringMatching('^EventsBus') },
      EventPattern: { 'detail-type': ['cart.updated'], detail: { data: { total: [{ numeric: ['>', 0] }] } } },
      Targets: [
        {
          Arn: { 'Fn::GetAtt': [expect.stringMatching('^JourneysLauncher'), 'Arn'] },
          InputTransformer: { InputTemplate: '{"trigger":{"journey":"cart-recovery","event":<aws.events.event>}}' },
          DeadLetterConfig: { Arn: { 'Fn::GetAtt': [expect.stringMatching('^EventsDeliveryDeadLetters'), 'Arn'] } },
        },
      ],
    });
  });

  it('launches a segment journey on its schedule through the launcher, and gives a manual journey no rule', () => {
    const [, schedule] = only(resources('AWS::Events::Rule', 'JourneysJourneywinbackSchedule'));
    expect(schedule.Properties).toMatchObject({ ScheduleExpression: 'cron(0 4 * * ? *)', Targets: [{ Arn: { 'Fn::GetAtt': [expect.stringMatching('^JourneysLauncher'), 'Arn'] } }] });
    expect(JSON.stringify(schedule.Properties)).toContain('\\"journey\\":\\"win-back\\",\\"segment\\":\\"at-risk\\"');

    const manual = JourneyDefinition.parse({ name: 'by-hand', version: 1, description: 'Launched by hand', trigger: { manual: true }, steps: [{ id: 'w', wait: { for: '1h' } }] });
    const { template: withManual } = synthStack({ definitions: { ...repository, journeys: [...repository.journeys, manual] } });
    expect(Object.keys(withManual.findResources('AWS::StepFunctions::StateMachineAlias')).filter((id) => id.includes('byhand'))).toHaveLength(1);
    expect(Object.keys(withManual.findResources('AWS::Events::Rule')).filter((id) => id.includes('byhand'))).toEqual([]);
  });

  it('refuses at synthesis a journey given twice, naming it', () => {
    const [first] = repository.journeys;
    if (!first) throw new Error('the repository has journeys');

    expect(() => synthStack({ definitions: { ...repository, journeys: [...repository.journeys, first] } })).toThrow(`given twice: ${first.name}`);
  });

  it('evaluates each scheduled segment on its schedule, and lets the launcher write only segment items', () => {
    const [, rule] = only(resources('AWS::Events::Rule', 'JourneysEvaluateatrisk'));
    expect(rule.Properties).toMatchObject({ ScheduleExpression: 'cron(0 4 * * ? *)', Targets: [{ Arn: { 'Fn::GetAtt': [expect.stringMatching(/^JourneysLauncher/), 'Arn'] } }] });
    expect(resources('AWS::Events::Rule', 'JourneysEvaluate')).toHaveLength(repository.segments.filter((segment) => segment.schedule).length);
    const [, policy] = only(resources('AWS::IAM::Policy', 'JourneysLauncherRoleDefaultPolicy'));
    const puts = (policy.Properties.PolicyDocument as { Statement: { Action: string | string[]; Condition?: unknown }[] }).Statement.filter((statement) => [statement.Action].flat().includes('dynamodb:PutItem'));
    expect(puts).toEqual([expect.objectContaining({ Condition: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['SEGMENT#*'] } } })]);
    // The trigger gate counts refused entries in the journeys' metrics items, and updates nothing else.
    const updates = (policy.Properties.PolicyDocument as { Statement: { Action: string | string[]; Condition?: unknown }[] }).Statement.filter((statement) => [statement.Action].flat().includes('dynamodb:UpdateItem'));
    expect(updates).toEqual([expect.objectContaining({ Condition: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['JOURNEY#*'] } } })]);
  });

  it('serves launches on an IAM-authorised URL and on the journey.launch.requested event', () => {
    template.hasResourceProperties('AWS::Lambda::Url', { AuthType: 'AWS_IAM', TargetFunctionArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^JourneysLauncher'), 'Arn'] } });
    const [, rule] = only(resources('AWS::Events::Rule', 'JourneysLaunchRequests'));
    expect(rule.Properties.EventPattern).toEqual({ 'detail-type': ['journey.launch.requested'] });
    template.hasOutput('LaunchUrl', { Value: { 'Fn::GetAtt': [Match.stringLikeRegexp('^JourneysLauncherFunctionUrl'), 'FunctionUrl'] } });
    template.hasOutput('JourneyMachines', Match.anyValue());
  });

  it('lets the launcher start runs only on the live aliases', () => {
    const [, policy] = only(resources('AWS::IAM::Policy', 'JourneysLauncherRoleDefaultPolicy'));
    const statements = (policy.Properties.PolicyDocument as { Statement: { Action: string | string[]; Resource: unknown }[] }).Statement;
    const starts = statements.filter((statement) => [statement.Action].flat().includes('states:StartExecution'));
    const targets = starts.flatMap((statement) => [statement.Resource].flat()).map((resource) => JSON.stringify(resource));
    expect(targets.filter((target) => target.includes('Live'))).toHaveLength(repository.journeys.length);
    expect(targets.every((target) => target.includes('Live') || target.includes('StateMachine'))).toBe(true);
  });

  it('compiles an edited journey to a new definition of the same state machine', () => {
    const edited = repository.journeys.map((journey) =>
      journey.name === 'cart-recovery' ? JourneyDefinition.parse({ ...journey, version: 2, steps: [{ id: 'first-hour', wait: { for: '2h' } }, ...journey.steps.slice(1)] }) : journey,
    );
    const { template: after } = synthStack({ definitions: { ...repository, journeys: edited } });
    const definitionOf = (from: typeof template) => JSON.stringify(only(Object.values(from.findResources('AWS::StepFunctions::StateMachine')).filter((resource) => JSON.stringify(resource).includes('Journey cart-recovery'))).Properties.DefinitionString);
    expect(definitionOf(after)).not.toBe(definitionOf(template));
    expect(definitionOf(after)).toContain('"Seconds\\":7200');
    after.hasResourceProperties('AWS::StepFunctions::StateMachineVersion', { Description: 'cart-recovery v2' });
  });
});

describe('synthesis with a malformed journey', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'journeys-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('fails with a message naming the file and the field, and writes no assembly', async () => {
    await writeFile(
      join(dir, 'broken.yaml'),
      'name: broken\nversion: 1\ndescription: d\ntrigger: { event: cart.updated }\nsteps:\n  - id: nudge\n    send: { template: cart-reminder, kind: marketing, topic: promotions }\n',
    );
    const outdir = join(dir, 'out');
    await expect(synthesize({ outdir, journeysDir: dir })).rejects.toThrow(/broken\.yaml: step "nudge" \(steps\[0\]\): send\.topic: /);
    expect(existsSync(outdir)).toBe(false);
  });

  it('fails when a journey changed but kept its version, and names the journey', async () => {
    const journeysDir = join(dir, 'journeys');
    await cp(REPOSITORY_JOURNEYS_DIR, journeysDir, { recursive: true });
    await copyFile(lockFile(REPOSITORY_JOURNEYS_DIR), lockFile(journeysDir));
    const file = join(journeysDir, 'win-back.yaml');
    await writeFile(file, (await readFile(file, 'utf8')).replace('percent: 10 }', 'percent: 20 }'));
    await expect(synthesize({ outdir: join(dir, 'out'), journeysDir })).rejects.toThrow('journey win-back changed but is still version 2: raise its version, then run npx lifecycle journey lock');
  });
});
