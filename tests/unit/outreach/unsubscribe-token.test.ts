import { describe, expect, it } from 'vitest';
import { signToken, verifyToken } from '#shared/outreach/unsubscribe-token.ts';

const secret = 'current-secret';
const claims = { customerId: 'c-1', topic: 'offers' as const, expiresAt: 2_000_000_000 };
const now = 1_800_000_000;

describe('unsubscribe tokens', () => {
  it('verifies what it signed', () => {
    expect(verifyToken(signToken(claims, secret), [secret], now)).toEqual({ ok: true, claims });
  });

  it('refuses a token signed with another secret (forged)', () => {
    expect(verifyToken(signToken(claims, 'attacker'), [secret], now)).toEqual({ ok: false, reason: 'bad-signature' });
  });

  it('refuses a token whose payload was altered', () => {
    const [version, , signature] = signToken(claims, secret).split('.');
    const otherPayload = Buffer.from(JSON.stringify({ c: 'c-2', t: 'offers', x: claims.expiresAt })).toString('base64url');
    expect(verifyToken(`${version}.${otherPayload}.${signature}`, [secret], now)).toEqual({ ok: false, reason: 'bad-signature' });
  });

  it('refuses an expired token', () => {
    expect(verifyToken(signToken({ ...claims, expiresAt: now - 1 }, secret), [secret], now)).toEqual({ ok: false, reason: 'expired' });
  });

  it('refuses malformed tokens', () => {
    for (const token of ['', 'v1', 'v2.a.b', 'v1.a.b.c', 'v1..']) expect(verifyToken(token, [secret], now)).toMatchObject({ ok: false });
  });

  it('still accepts links signed with the previous secret after a rotation', () => {
    const old = signToken(claims, 'previous-secret');
    expect(verifyToken(old, [secret, 'previous-secret'], now)).toMatchObject({ ok: true });
    expect(verifyToken(old, [secret], now)).toMatchObject({ ok: false });
  });
});
