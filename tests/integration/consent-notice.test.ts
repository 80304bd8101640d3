/**
 * The consent-status notice on the local cloud's virtual clock: two years after a customer agreed
 * to marketing email, the daily job sends the notice through the outreach path and records it on
 * the consent ledger; the preference page it links to records the customer's answer there too.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EmitInput } from '#shared/events/emitter.ts';
import { emitAndSettle, eventually, startTestCloud, type TestCloud } from '#tests/support/local-cloud.ts';
import { emailsTo, type StoredEmail } from '#tests/support/observe.ts';
import { runCli } from '#tests/support/run-cli.ts';

// 03:00 UTC, noon in Seoul. The daily job runs at 01:00 UTC: next on 23 November.
const START = Date.parse('2026-11-22T03:00:00Z');
const DAY = 86_400_000;
let test: TestCloud;

beforeAll(async () => {
  test = await startTestCloud({ speed: 0, startTime: START });
  const lead = (id: string, occurredAt: string, consent: Record<string, unknown>): EmitInput =>
    ({
      detailType: 'lead.captured',
      detail: {
        eventId: `lead-${id}`,
        occurredAt,
        customer: { id, email: `${id}@example.com`, locale: 'ko-KR', timezone: 'Asia/Seoul' },
        data: { channel: 'signup-form', consent },
      },
    }) as EmitInput;
  await emitAndSettle(test, [
    // Agreed two years ago tomorrow: due on 23 November.
    lead('c-agreed-2024', '2024-11-23T05:00:00Z', { email: true, topics: ['newsletter', 'offers'], wordingVersion: 'signup-2024-09' }),
    // Agreed last year: due in 2027.
    lead('c-agreed-2025', '2025-11-23T05:00:00Z', { email: true }),
    // Agreed two years ago, then withdrew: nothing to tell.
    lead('c-withdrew', '2024-11-23T05:00:00Z', { email: true }),
  ]);
  await emitAndSettle(test, [
    {
      detailType: 'consent.updated',
      detail: { occurredAt: '2025-03-01T00:00:00Z', customer: { id: 'c-withdrew' }, data: { channel: 'email', subscribed: false, via: 'support-call' } },
    } as EmitInput,
  ]);
});

afterAll(async () => {
  await test.stop();
});

const lifecycle = async (...args: string[]) => {
  const result = await runCli(test.cloud.endpoint, ...args);
  if (result.code !== 0) throw new Error(`lifecycle ${args.join(' ')} failed: ${result.stderr}`);
  return result.stdout;
};

/** The notices in a customer's inbox (other mail — the welcome series — aside). */
const noticesTo = async (customerId: string): Promise<StoredEmail[]> =>
  (await emailsTo(test, `${customerId}@example.com`)).filter((email) => email.subject.includes('수신동의 현황'));

async function nextDay(): Promise<void> {
  test.cloud.clock.advance(DAY);
  await test.cloud.settle();
}

describe('the consent-status notice, every two years', () => {
  it('sends nothing before the day it is due', async () => {
    expect(await noticesTo('c-agreed-2024')).toEqual([]);
  });

  it('sends it on the day two years after the consent: who sends, what was agreed and when, and how to withdraw', async () => {
    await nextDay();

    const [notice, ...more] = await eventually(async () => {
      const found = await noticesTo('c-agreed-2024');
      return found.length > 0 ? found : undefined;
    }, 'the consent notice');

    expect(more).toEqual([]);
    expect(notice?.subject).toBe('[Our shop] 광고성 정보 수신동의 현황을 알려 드립니다');
    const text = notice?.body.text ?? '';
    expect(text).toContain('뉴스레터: 2024년 11월 23일');
    expect(text).toContain('할인 및 이벤트 소식: 2024년 11월 23일');
    expect(text).toMatch(/수신 설정 변경 및 수신동의 철회: http\S+\?token=v1\./);
    // The dev stack's advertiser: the brand's name, and the placeholder contact.
    expect(text).toContain('전송자: Our shop · 연락처: help@example.com');
    // A legal notice, not advertising: no (광고), no unsubscribe header.
    expect(notice?.subject).not.toContain('(광고)');
    expect((notice?.headers ?? []).map((header) => header.name)).not.toContain('List-Unsubscribe');
  });

  it('records the notice on the ledger, after the consent it tells of', async () => {
    const view = JSON.parse(await lifecycle('profile', 'show', 'c-agreed-2024', '--json'));

    expect(view.consentLedger).toEqual([
      expect.objectContaining({
        type: 'statement',
        at: '2024-11-23T05:00:00.000Z',
        detailType: 'lead.captured',
        via: 'signup-form',
        wordingVersion: 'signup-2024-09',
        statements: [
          { topic: 'newsletter', subscribed: true },
          { topic: 'offers', subscribed: true },
        ],
      }),
      expect.objectContaining({
        type: 'notice',
        dueDay: '2026-11-23',
        at: expect.stringMatching(/^2026-11-23T/),
        messageKey: 'consent-notice:2026-11-23',
        consents: [
          { topic: 'newsletter', since: '2024-11-23T05:00:00.000Z' },
          { topic: 'offers', since: '2024-11-23T05:00:00.000Z' },
        ],
      }),
    ]);
    // The clock jumped past the job's 01:00 run: it ran, and recorded, on the day it was due.
    expect(view.profile.consentNoticeAt).toMatch(/^2026-11-23T/);
    const shown = await lifecycle('profile', 'show', 'c-agreed-2024');
    expect(shown).toContain('Consent ledger');
    expect(shown).toMatch(/2026-11-23T\S+\s+consent-status notice \(newsletter since 2024-11-23, offers since 2024-11-23\)/);
  });

  it('sends no second notice the next day, and none to those not due or who withdrew', async () => {
    await nextDay();

    expect(await noticesTo('c-agreed-2024')).toHaveLength(1);
    expect(await noticesTo('c-agreed-2025')).toEqual([]);
    expect(await noticesTo('c-withdrew')).toEqual([]);
  });

  it('keeps the choice made on the preference page the notice links to on the ledger, with where and the wording', async () => {
    const [notice] = await noticesTo('c-agreed-2024');
    const link = /수신 설정 변경 및 수신동의 철회: (\S+)/.exec(notice?.body.text ?? '')?.[1] ?? '';
    const token = new URL(link).searchParams.get('token') ?? '';

    // Keeps the newsletter, withdraws the offers.
    const saved = await fetch(link, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token, action: 'save', topics: 'newsletter' }).toString(),
    });
    await test.cloud.settle();

    expect(saved.status).toBe(200);
    const ledger = JSON.parse(await lifecycle('profile', 'show', 'c-agreed-2024', '--json')).consentLedger as Record<string, unknown>[];
    expect(ledger.at(-1)).toMatchObject({
      type: 'statement',
      detailType: 'consent.updated',
      source: 'lifecycle',
      via: 'preference-page',
      wordingVersion: 'preference-page/1',
      statements: [{ topic: 'offers', subscribed: false }],
    });
  });
});
