import { describe, expect, it } from 'vitest';
import { applyKoreanAdvertisingRules } from '#shared/outreach/korean-advertising.ts';

const advertiser = { name: 'Oak & Lamp <Korea>', contact: '02-123-4567' };
const email = (subject: string, locale = 'ko') => ({ subject, html: '<html><body><p>본문</p></body></html>', text: '본문\n\n', locale });
const marketing = { kind: 'marketing' as const, unsubscribeUrl: 'https://u.example/?token=a&b' };

describe('Korean advertising rules on a rendered email', () => {
  it('puts one (광고) first, whatever marks the template left, full-width ones too', () => {
    for (const subject of ['특가', '(광고) 특가', '（광고）특가', ' ( 광고 )(광고) 특가']) {
      expect(applyKoreanAdvertisingRules(email(subject), marketing, advertiser).subject).toBe('(광고) 특가');
    }
  });

  it('escapes the advertiser and the link in the HTML notice, and puts it inside the body', () => {
    const { html, text } = applyKoreanAdvertisingRules(email('특가'), marketing, advertiser);

    expect(html).toContain('광고성 정보 전송자: Oak &amp; Lamp &lt;Korea&gt;');
    expect(html).toContain('href="https://u.example/?token=a&amp;b"');
    expect(html.indexOf('광고성 정보 전송자')).toBeLessThan(html.indexOf('</body>'));
    expect(text).toBe(
      '본문\n\n--\n광고성 정보 전송자: Oak & Lamp <Korea>\n연락처: 02-123-4567\n이 메일의 수신을 원하지 않으시면 아래 수신 거부 링크를 눌러 주세요. 수신 거부는 무료이며 즉시 처리됩니다.\n수신 거부: https://u.example/?token=a&b\n',
    );
  });

  it('takes the mark off a transactional subject and adds no notice', () => {
    expect(applyKoreanAdvertisingRules(email('(광고) 주문 확인'), { kind: 'transactional' }, advertiser)).toEqual(email('주문 확인'));
  });

  it('applies to ko and ko-KR, and leaves other languages alone', () => {
    expect(applyKoreanAdvertisingRules(email('특가', 'ko-KR'), marketing, advertiser).subject).toBe('(광고) 특가');
    expect(applyKoreanAdvertisingRules(email('Sale', 'en'), marketing, advertiser)).toEqual(email('Sale', 'en'));
  });
});
