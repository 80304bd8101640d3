import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkJourneyFile } from '#cli/journey-check.ts';

let dir: string;

const write = async (name: string, text: string) => {
  const file = join(dir, name);
  await writeFile(file, text);
  return file;
};

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'journey-check-'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('lifecycle journey check', () => {
  it("passes a valid journey whose templates and segment exist, naming the catalog's events it reacts to", async () => {
    const file = await write(
      'ok.yaml',
      'name: ok-journey\nversion: 1\ndescription: x\ntrigger: { event: order.placed }\nexit: { goals: [order.delivered] }\nsteps:\n  - id: thanks\n    send: { template: loyalty-thanks, kind: marketing, topic: newsletter }\n',
    );

    expect(await checkJourneyFile(file)).toEqual({ file, name: 'ok-journey', problems: [], events: ['order.placed', 'order.delivered'] });
  });

  it('lists a missing template, a missing segment and the reasons a journey is marked not deployable', async () => {
    const file = await write(
      'bad.yaml',
      "name: bad-journey\nversion: 1\ndescription: x\ntrigger: { segment: nobody-here }\nnotDeployable: ['fix me']\nsteps:\n  - id: hello\n    send: { template: no-such-template, kind: marketing, topic: newsletter }\n",
    );

    const check = await checkJourneyFile(file);

    expect(check.problems).toEqual([
      expect.stringMatching(/^journey bad-journey: step "hello": send.template: no template no-such-template in /),
      'journey bad-journey: trigger.segment: no segment nobody-here',
      'marked not deployable: fix me',
    ]);
  });

  it('refuses an event that is not in the catalog, with the file, the step and the field', async () => {
    const file = await write(
      'unknown.yaml',
      'name: unknown-event\nversion: 1\ndescription: x\ntrigger: { event: order.placed }\nsteps:\n  - id: later\n    waitForEvent: { event: order.teleported, timeout: 1d }\n',
    );

    const check = await checkJourneyFile(file);

    expect(check.name).toBeUndefined();
    expect(check.problems).toEqual([
      expect.stringMatching(/unknown\.yaml: step "later" \(steps\[0\]\): waitForEvent\.event: must be a detail-type of the event catalog$/),
    ]);
  });
});
