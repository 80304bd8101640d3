/**
 * SigV4 signatures checked as AWS checks them: the request is signed again, with the SDK's own
 * signer (`@smithy/signature-v4`), from the secret of the access key it names, over the headers it
 * says it signed and at the time it says it was signed; the two signatures must be equal, the
 * session token the one issued with the key, and the time within five minutes of now.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { Sha256 } from '@smithy/core/checksum';
import { SignatureV4 } from '@smithy/signature-v4';

/** What the `Authorization` header of a SigV4-signed request says. */
export interface SigV4Authorization {
  readonly accessKeyId: string;
  readonly region: string;
  readonly service: string;
  readonly signedHeaders: readonly string[];
  readonly signature: string;
}

/** The secret that signs for an access key, and the session token issued with it (none for long-term keys). */
export interface SigningCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
}

export interface SignedRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: Buffer;
}

/** Why AWS refuses a signed request: its error code and message. */
export interface SignatureFault {
  readonly code: 'IncompleteSignatureException' | 'InvalidSignatureException' | 'UnrecognizedClientException';
  readonly message: string;
}

const ALGORITHM = 'AWS4-HMAC-SHA256';
const MAX_SKEW_MS = 5 * 60_000;
const MISMATCH =
  'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.';

/** The parts of a SigV4 `Authorization` header, or undefined when it is not one (absent, another scheme, a part missing). */
export function parseAuthorization(header: string | undefined): SigV4Authorization | undefined {
  if (!header?.startsWith(`${ALGORITHM} `)) return undefined;
  const parts = new Map(
    header
      .slice(ALGORITHM.length + 1)
      .split(',')
      .map((part) => part.trim().split('=') as [string, string | undefined]),
  );
  const [accessKeyId, , region, service, terminator] = (parts.get('Credential') ?? '').split('/');
  const signedHeaders = parts.get('SignedHeaders');
  const signature = parts.get('Signature');
  if (!accessKeyId || !region || !service || terminator !== 'aws4_request' || !signedHeaders || !signature) return undefined;
  return { accessKeyId, region, service, signedHeaders: signedHeaders.split(';'), signature };
}

const header = (request: SignedRequest, name: string): string | undefined => {
  const value = request.headers[name];
  return Array.isArray(value) ? value.join(',') : value;
};

/** `20261207T101500Z` as milliseconds since the epoch. */
function parseAmzDate(value: string): number | undefined {
  const match = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  if (!match) return undefined;
  const [, year, month, day, hour, minute, second] = match.map(Number) as number[];
  return Date.UTC(year ?? 0, (month ?? 1) - 1, day, hour, minute, second);
}

const amzDate = (ms: number): string =>
  new Date(ms)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');

/**
 * Checks a request's signature against the credentials its access key was issued with. `nows` are
 * the times the signing time may be within five minutes of (the first is the one errors name).
 * @returns undefined when the signature holds, else why AWS would refuse it
 */
export async function checkSignature(
  request: SignedRequest,
  authorization: SigV4Authorization,
  credentials: SigningCredentials,
  nows: readonly number[],
): Promise<SignatureFault | undefined> {
  const signedAt = header(request, 'x-amz-date');
  const signingTime = signedAt === undefined ? undefined : parseAmzDate(signedAt);
  if (signedAt === undefined || signingTime === undefined || !authorization.signedHeaders.includes('x-amz-date')) {
    return { code: 'IncompleteSignatureException', message: "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header." };
  }
  const now = nows[0] ?? Date.now();
  if (!nows.some((candidate) => Math.abs(candidate - signingTime) <= MAX_SKEW_MS)) {
    return signingTime < now
      ? {
          code: 'InvalidSignatureException',
          message: `Signature expired: ${signedAt} is now earlier than ${amzDate(now - MAX_SKEW_MS)} (${amzDate(now)} - 5 min.)`,
        }
      : {
          code: 'InvalidSignatureException',
          message: `Signature not yet current: ${signedAt} is still later than ${amzDate(now + MAX_SKEW_MS)} (${amzDate(now)} + 5 min.)`,
        };
  }
  // Session credentials are valid only with the token issued with them.
  if (credentials.sessionToken !== undefined && header(request, 'x-amz-security-token') !== credentials.sessionToken) {
    return { code: 'UnrecognizedClientException', message: 'The security token included in the request is invalid.' };
  }
  // A signed payload hash must be the body's: the signer takes the header's word for it.
  const payloadHash = header(request, 'x-amz-content-sha256');
  if (payloadHash !== undefined && payloadHash !== 'UNSIGNED-PAYLOAD' && payloadHash !== createHash('sha256').update(request.body).digest('hex')) {
    return { code: 'InvalidSignatureException', message: MISMATCH };
  }

  const url = new URL(request.url, 'http://local');
  const query: Record<string, string | string[]> = {};
  for (const [name, value] of url.searchParams) {
    const known = query[name];
    query[name] = known === undefined ? value : [...(Array.isArray(known) ? known : [known]), value];
  }
  const headers: Record<string, string> = {};
  for (const name of authorization.signedHeaders) {
    const value = header(request, name);
    if (value !== undefined) headers[name] = value;
  }
  const signer = new SignatureV4({
    service: authorization.service,
    region: authorization.region,
    credentials: { accessKeyId: credentials.accessKeyId, secretAccessKey: credentials.secretAccessKey },
    sha256: Sha256,
    // Sign exactly what the caller signed: no checksum header of our own.
    applyChecksum: false,
  });
  const signed = await signer.sign(
    { method: request.method, protocol: 'http:', hostname: url.hostname, path: url.pathname, query, headers, body: request.body },
    { signingDate: new Date(signingTime), signableHeaders: new Set(authorization.signedHeaders) },
  );
  const expected = /Signature=([0-9a-f]+)/.exec(String(signed.headers.authorization ?? ''))?.[1] ?? '';
  const given = authorization.signature;
  const equal = expected.length === given.length && timingSafeEqual(Buffer.from(expected), Buffer.from(given));
  return equal ? undefined : { code: 'InvalidSignatureException', message: MISMATCH };
}
