import { describe, expect, it } from 'vitest';
import { VirtualClock, parseDuration, virtualNowFrom } from '#local/clock.ts';

const start = Date.parse('2026-11-22T00:00:00Z');

describe('virtual clock', () => {
  it('stands still at speed 0 and fires due timers, in order, when advanced', () => {
    const clock = new VirtualClock({ start, speed: 0 });
    const fired: string[] = [];
    clock.at(start + 2_000, () => fired.push('second'));
    clock.at(start + 1_000, () => fired.push('first'));
    clock.at(start + 10_000, () => fired.push('later'));

    clock.advance(5_000);

    expect(fired).toEqual(['first', 'second']);
    expect(clock.now()).toBe(start + 5_000);
    expect(clock.pending).toBe(1);
  });

  it('fires a timer whose time has come even while time stands still, and counts it as overdue until then', async () => {
    const clock = new VirtualClock({ start, speed: 0 });
    const fired: string[] = [];
    clock.at(start, () => fired.push('now'));
    clock.at(start + 1_000, () => fired.push('later'));

    expect(clock.overdue).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 0));

    expect(fired).toEqual(['now']);
    expect(clock.overdue).toBe(0);
    expect(clock.pending).toBe(1);
    clock.stop();
  });

  it('lets a timer be cancelled', () => {
    const clock = new VirtualClock({ start, speed: 0 });
    let fired = false;
    const cancel = clock.at(start + 1_000, () => {
      fired = true;
    });
    cancel();
    clock.advance(2_000);
    expect(fired).toBe(false);
  });

  it('resolves a sleep when time passes, and at once when aborted', async () => {
    const clock = new VirtualClock({ start, speed: 0 });
    let woke = false;
    const sleeping = clock.sleep(60_000).then(() => {
      woke = true;
    });
    await Promise.resolve();
    expect(woke).toBe(false);
    clock.advance(60_000);
    await sleeping;
    expect(woke).toBe(true);

    const controller = new AbortController();
    const aborted = clock.sleep(1_000_000, controller.signal);
    controller.abort();
    await expect(aborted).resolves.toBeUndefined();
  });

  it('shares its time with worker threads through memory', () => {
    const clock = new VirtualClock({ start, speed: 0 });
    clock.advance(3 * 86_400_000);
    expect(virtualNowFrom(clock.state)).toBe(clock.now());
  });

  it('keeps the time when the speed changes', () => {
    const clock = new VirtualClock({ start, speed: 0 });
    clock.advance(1_000);
    clock.setSpeed(0);
    expect(clock.now()).toBe(start + 1_000);
    expect(() => clock.setSpeed(-1)).toThrow('speed must be 0 or more');
  });
});

describe('durations', () => {
  it.each([
    ['90s', 90_000],
    ['15m', 900_000],
    ['3h', 10_800_000],
    ['3d', 259_200_000],
    ['1w', 604_800_000],
    ['250', 250],
  ])('reads %s', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it('refuses what is not a duration', () => {
    expect(() => parseDuration('soon')).toThrow('not a duration: "soon"');
  });
});
