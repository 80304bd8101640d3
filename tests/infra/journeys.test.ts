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

type Statement = { Action: string | string[]; Resource: unknown; Condition?: unknown };
const statementsOf = (prefix: string) => (only(resources('AWS::IAM::Policy', prefix))[1].Properties.PolicyDocument as { Statement: Statement[] }).Statement;
const allowing = (statements: Statement[], action: string) => statements.filter((statement) => [statement.Action].flat().includes(action));

describe('journeys in the stack', () => {
  it('runs journeys in functions, with no state machine per journey', () => {
    expect(resources('AWS::StepFunctions::StateMachine', 'Journeys')).toEqual([]);
    template.hasResourceProperties('AWS::Lambda::Function', { Description: 'The journey engine: moves participants on when they wake' });
  });

  it("carries every journey and every kept version in the engine's bundle, for participants still on them", () => {
    expect(repository.versions.some((journey) => journey.name === 'cart-recovery' && journey.version === 2)).toBe(true);
    for (const current of repository.journeys)
      expect(repository.versions.some((kept) => kept.name === current.name && kept.version === current.version)).toBe(true);
  });

  it("sends an event-triggered journey's events, filtered by its rule, to the trigger gate, with a dead-letter queue", () => {
    const [, rule] = only(resources('AWS::Events::Rule', 'JourneysJourneycartrecoveryTrigger'));
    expect(rule.Properties).toMatchObject({
      EventBusName: { Ref: expect.stringMatching('^EventsBus') },
      EventPattern: { 'detail-type': ['cart.updated', 'checkout.started'], detail: { data: { total: [{ numeric: ['>', 0] }] } } },
      Targets: [
        {
          Arn: { 'Fn::GetAtt': [expect.stringMatching('^JourneysTriggerGate'), 'Arn'] },
          InputTransformer: { InputTemplate: '{"trigger":{"journey":"cart-recovery","event":<aws.events.event>}}' },
          DeadLetterConfig: { Arn: { 'Fn::GetAtt': [expect.stringMatching('^EventsDeliveryDeadLetters'), 'Arn'] } },
        },
      ],
    });
  });

  it('wakes participants with the events journeys wait for or exit on, and stops runs on the events that may announce a suppression, whole, with a dead-letter queue', () => {
    const [, rule] = only(resources('AWS::Events::Rule', 'JourneysWakeEvents'));
    const waitedFor = repository.journeys.flatMap((journey) =>
      [...journey.exit.goals, ...journey.exit.leave, ...JSON.stringify(journey.steps).matchAll(/"waitForEvent":\{"event":"([a-z.]+)"/g)].map((each) =>
        typeof each === 'string' ? each : (each[1] ?? ''),
      ),
    );
    const expected = new Set([...waitedFor, 'email.bounced', 'email.complained']);
    expect(new Set((rule.Properties.EventPattern as { 'detail-type': string[] })['detail-type'])).toEqual(expected);
    expect(rule.Properties.Targets).toEqual([
      expect.objectContaining({
        Arn: { 'Fn::GetAtt': [expect.stringMatching('^JourneysRuntime'), 'Arn'] },
        InputTransformer: { InputTemplate: '{"event":<aws.events.event>}' },
        DeadLetterConfig: { Arn: { 'Fn::GetAtt': [expect.stringMatching('^EventsDeliveryDeadLetters'), 'Arn'] } },
      }),
    ]);
  });

  it('lets one-time schedules wake only the engine, and the engine and launcher create and delete only journey schedules', () => {
    const [roleId, role] = only(resources('AWS::IAM::Role', 'JourneysWakeRole'));
    expect(JSON.stringify(role.Properties.AssumeRolePolicyDocument)).toContain('scheduler.amazonaws.com');
    const invokes = allowing(statementsOf('JourneysWakeRoleDefaultPolicy'), 'lambda:InvokeFunction');
    expect(
      invokes
        .flatMap((statement) => [statement.Resource].flat())
        .map((resource) => JSON.stringify(resource))
        .every((resource) => resource.includes('JourneysRuntime')),
    ).toBe(true);
    for (const prefix of ['JourneysRuntimeRoleDefaultPolicy', 'JourneysLauncherRoleDefaultPolicy']) {
      const statements = statementsOf(prefix);
      const schedules = allowing(statements, 'scheduler:CreateSchedule');
      expect(JSON.stringify(schedules.map((statement) => statement.Resource))).toContain(':schedule/default/journey-*');
      expect(allowing(statements, 'scheduler:DeleteSchedule')).toEqual(schedules);
      const passes = allowing(statements, 'iam:PassRole');
      expect(passes.map((statement) => statement.Resource)).toEqual([{ 'Fn::GetAtt': [roleId, 'Arn'] }]);
    }
  });

  it('launches a segment journey on its schedule through the launcher, and gives a manual journey no rule', () => {
    const [, schedule] = only(resources('AWS::Events::Rule', 'JourneysJourneywinbackSchedule'));
    expect(schedule.Properties).toMatchObject({
      ScheduleExpression: 'cron(0 4 * * ? *)',
      Targets: [{ Arn: { 'Fn::GetAtt': [expect.stringMatching('^JourneysLauncher'), 'Arn'] } }],
    });
    expect(JSON.stringify(schedule.Properties)).toContain('\\"journey\\":\\"win-back\\",\\"segment\\":\\"at-risk\\"');

    const manual = JourneyDefinition.parse({
      name: 'by-hand',
      version: 1,
      description: 'Launched by hand',
      trigger: { manual: true },
      steps: [{ id: 'w', wait: { for: '1h' } }],
    });
    const { template: withManual } = synthStack({ definitions: { ...repository, journeys: [...repository.journeys, manual] } });
    expect(Object.keys(withManual.findResources('AWS::Events::Rule')).filter((id) => id.includes('byhand'))).toEqual([]);
  });

  it('refuses at synthesis a journey given twice, naming it', () => {
    const [first] = repository.journeys;
    if (!first) throw new Error('the repository has journeys');

    expect(() => synthStack({ definitions: { ...repository, journeys: [...repository.journeys, first] } })).toThrow(`given twice: ${first.name}`);
  });

  it('evaluates the scheduled segments on their schedule, those due at one time together, in a function that may put only segment items', () => {
    // Every scheduled segment of the repository is due at 04:00: one rule evaluates them all.
    const scheduled = repository.segments.filter((segment) => segment.schedule).map((segment) => segment.name);
    expect(new Set(repository.segments.filter((segment) => segment.schedule).map((segment) => segment.schedule))).toEqual(new Set(['cron(0 4 * * ? *)']));
    const [, rule] = only(resources('AWS::Events::Rule', 'JourneysEvaluateSegments'));
    expect(rule.Properties).toMatchObject({
      ScheduleExpression: 'cron(0 4 * * ? *)',
      Targets: [{ Arn: { 'Fn::GetAtt': [expect.stringMatching(/^JourneysSegmentEvaluator/), 'Arn'] } }],
    });
    const input = JSON.parse(
      String((rule.Properties.Targets as { InputTransformer: { InputTemplate: string } }[])[0]?.InputTransformer.InputTemplate).replace('<time>', '"time"'),
    ) as { evaluate: { segments: string[] } };
    expect(new Set(input.evaluate.segments)).toEqual(new Set(scheduled));
    const puts = allowing(statementsOf('JourneysSegmentEvaluatorRoleDefaultPolicy'), 'dynamodb:PutItem');
    expect(puts).toEqual([expect.objectContaining({ Condition: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['SEGMENT#*'] } } })]);
    // The functions that start runs keep no snapshot: they put only what moving participants needs, unconditioned by key.
    for (const starter of ['JourneysLauncherRoleDefaultPolicy', 'JourneysTriggerGateRoleDefaultPolicy', 'JourneysApiRoleDefaultPolicy'])
      expect(allowing(statementsOf(starter), 'dynamodb:PutItem').filter((statement) => statement.Condition)).toEqual([]);
  });

  it("serves launches on the API's IAM-authorised URL, and the journey.launch.requested event to the launcher", () => {
    template.hasResourceProperties('AWS::Lambda::Url', {
      AuthType: 'AWS_IAM',
      TargetFunctionArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^JourneysApi'), 'Arn'] },
    });
    const [, rule] = only(resources('AWS::Events::Rule', 'JourneysLaunchRequests'));
    expect(rule.Properties.EventPattern).toEqual({ 'detail-type': ['journey.launch.requested'] });
    expect(rule.Properties.Targets).toEqual([expect.objectContaining({ Arn: { 'Fn::GetAtt': [expect.stringMatching('^JourneysLauncher'), 'Arn'] } })]);
    template.hasOutput('LaunchUrl', { Value: { 'Fn::GetAtt': [Match.stringLikeRegexp('^JourneysApiFunctionUrl'), 'FunctionUrl'] } });
  });

  it("gives each function that starts runs the engine to wake, and them and the engine the queue, the bus and the schedules' role", () => {
    const starters = ['JourneysLauncher', 'JourneysTriggerGate', 'JourneysApi'].map((name) => only(resources('AWS::Lambda::Function', name))[1]);
    const runtime = only(resources('AWS::Lambda::Function', 'JourneysRuntime'));
    const variables = (fn: Resource) => (fn.Properties.Environment as { Variables: Record<string, unknown> }).Variables;
    for (const starter of starters) expect(variables(starter).JOURNEY_ENGINE_ARN).toEqual({ 'Fn::GetAtt': [runtime[0], 'Arn'] });
    for (const fn of [...starters, runtime[1]]) {
      expect(variables(fn)).toMatchObject({
        OUTREACH_QUEUE_URL: expect.anything(),
        EVENT_BUS_NAME: expect.anything(),
        SCHEDULER_ROLE_ARN: { 'Fn::GetAtt': [expect.stringMatching('^JourneysWakeRole'), 'Arn'] },
      });
    }
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
    await expect(synthesize({ outdir: join(dir, 'out'), journeysDir })).rejects.toThrow(
      'journey win-back changed but is still version 2: raise its version, then run npx lifecycle journey lock',
    );
  });
});
