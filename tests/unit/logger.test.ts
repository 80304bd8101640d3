import { afterEach, describe, expect, it, vi } from 'vitest';
import { createLogger, redactPersonalData } from '#shared/logger.ts';

describe('logger', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('replaces the values of personal fields', () => {
    expect(redactPersonalData('email', 'mina@example.com')).toBe('[redacted]');
    expect(redactPersonalData('name', 'Mina Kim')).toBe('[redacted]');
    expect(redactPersonalData('comment', 'my address is …')).toBe('[redacted]');
    expect(redactPersonalData('customerId', 'c-1')).toBe('c-1');
  });

  it('masks anything that looks like an email address, wherever it is', () => {
    expect(redactPersonalData('reason', 'could not reach mina.kim+shop@example.co.kr today')).toBe('could not reach [email] today');
  });

  it('writes no personal data in a log line', () => {
    const lines: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      lines.push(String(chunk));
      return true;
    });
    const logger = createLogger('test');

    logger.info('event rejected', { reason: 'bounced for lee@example.org', customer: { email: 'lee@example.org', name: 'Lee', id: 'c-9' } });

    const output = lines.join('');
    expect(output).toContain('event rejected');
    expect(output).toContain('c-9');
    expect(output).not.toContain('lee@example.org');
    expect(output).not.toContain('"Lee"');
  });
});
