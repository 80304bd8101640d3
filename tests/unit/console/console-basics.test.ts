import { describe, expect, it } from 'vitest';
import { chooseLanguage, translator } from '#console/i18n.ts';
import { LaunchJobs } from '#console/launches.ts';
import type { LaunchReport } from '#shared/journeys/launch.ts';

describe('the console language', () => {
  it("follows the browser's first language it speaks, unless the switch set one", () => {
    expect(chooseLanguage(undefined, 'ko-KR,ko;q=0.9,en;q=0.8')).toBe('ko');
    expect(chooseLanguage(undefined, 'fr-FR,en;q=0.5')).toBe('en');
    expect(chooseLanguage(undefined, 'fr-FR')).toBe('en');
    expect(chooseLanguage('theme=dark; lang=ko', 'en-US')).toBe('ko');
    expect(translator('ko')('nav.journeys')).toBe('여정');
  });
});

describe('launch jobs', () => {
  it('starts a launch id once, however often it is asked', async () => {
    const jobs = new LaunchJobs();
    let runs = 0;
    let finish: (report: LaunchReport) => void = () => {};
    const run = () => {
      runs++;
      return new Promise<LaunchReport>((resolve) => (finish = resolve));
    };

    const first = jobs.start('spring', 'win-back', run);
    const second = jobs.start('spring', 'win-back', run);
    finish({ launchId: 'spring', journey: 'win-back', considered: 2, started: 2, alreadyStarted: 0, ineligible: 0, ineligibleBy: {} });
    await jobs.idle();

    expect(runs).toBe(1);
    expect(second).toBe(first);
    expect(first).toMatchObject({ state: 'done', report: { started: 2 } });
  });

  it('keeps why a launch failed', async () => {
    const jobs = new LaunchJobs();

    const job = jobs.start('broken', 'win-back', () => Promise.reject(new Error('the launcher answered 403')));
    await jobs.idle();

    expect(job).toMatchObject({ state: 'failed', error: 'the launcher answered 403' });
  });
});
