/**
 * Credentials the local cloud issues, one set per role, as STS would for a role session: each
 * function's SDK finds its role's set in the environment and signs with it through the ordinary
 * credential chain, and the edge tells who called from the access key in the signature. Keys the
 * local cloud did not issue (`test`/`test`, a developer's profile) name no role.
 */
import { randomBytes } from 'node:crypto';

export interface IssuedCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken: string;
}

export class CredentialIssuer {
  private readonly byRole = new Map<string, IssuedCredentials>();
  private readonly byKey = new Map<string, { readonly roleArn: string; readonly credentials: IssuedCredentials }>();

  /** The role's credentials; the same set every time it is asked for, for the cloud's lifetime. */
  issue(roleArn: string): IssuedCredentials {
    const known = this.byRole.get(roleArn);
    if (known) return known;
    // ASIA marks temporary (session) credentials, as STS's do.
    const issued = {
      accessKeyId: `ASIA${randomBytes(8).toString('hex').toUpperCase()}`,
      secretAccessKey: randomBytes(30).toString('base64'),
      sessionToken: randomBytes(48).toString('base64'),
    };
    this.byRole.set(roleArn, issued);
    this.byKey.set(issued.accessKeyId, { roleArn, credentials: issued });
    return issued;
  }

  /** The role and the whole set an access key was issued with (its secret signs), if the local cloud issued it. */
  issuedWith(accessKeyId: string | undefined): { readonly roleArn: string; readonly credentials: IssuedCredentials } | undefined {
    return accessKeyId === undefined ? undefined : this.byKey.get(accessKeyId);
  }
}

/** What a function's environment gets so that its SDK signs as its role. */
export function credentialsEnvironment(credentials: IssuedCredentials): Record<string, string> {
  return {
    AWS_ACCESS_KEY_ID: credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
    AWS_SESSION_TOKEN: credentials.sessionToken,
  };
}

/**
 * The access key a SigV4-signed request names: in the `Authorization` header
 * (`AWS4-HMAC-SHA256 Credential=<key>/<date>/<region>/<service>/aws4_request, …`) or, for a
 * presigned URL, the `X-Amz-Credential` query parameter.
 */
export function accessKeyOf(authorization: string | undefined, url: string): string | undefined {
  const header = /Credential=([^/,\s]+)\//.exec(authorization ?? '')?.[1];
  if (header) return header;
  const query = new URL(url, 'http://local').searchParams.get('X-Amz-Credential');
  return query?.split('/')[0] || undefined;
}
