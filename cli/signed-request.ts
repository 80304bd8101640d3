/**
 * A request to a function URL with AWS_IAM auth, signed with SigV4 as the AWS SDK signs its own:
 * the CLI's credentials (the target's, or the standard chain for a deployed stack).
 */
import { createHash, createHmac, type Hash, type Hmac } from 'node:crypto';
import { defaultProvider } from '@aws-sdk/credential-provider-node';
import { SignatureV4 } from '@smithy/signature-v4';

const bytes = (data: string | ArrayBuffer | ArrayBufferView): string | Uint8Array =>
  typeof data === 'string' ? data : ArrayBuffer.isView(data) ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength) : new Uint8Array(data);

/** SHA-256 (or its HMAC, given a secret) in the shape the signer takes. */
class Sha256 {
  private readonly hash: Hash | Hmac;

  constructor(secret?: string | ArrayBuffer | ArrayBufferView) {
    this.hash = secret === undefined ? createHash('sha256') : createHmac('sha256', bytes(secret));
  }

  update(data: string | ArrayBuffer | ArrayBufferView): void {
    this.hash.update(bytes(data));
  }

  digest(): Promise<Uint8Array> {
    return Promise.resolve(new Uint8Array(this.hash.digest()));
  }
}

export interface SigningConfig {
  readonly region: string;
  readonly credentials?: { readonly accessKeyId: string; readonly secretAccessKey: string };
}

/** POSTs JSON to a function URL, signed for the `lambda` service. */
export async function postSigned(url: string, body: unknown, config: SigningConfig): Promise<{ status: number; body: unknown }> {
  const target = new URL(url);
  const text = JSON.stringify(body);
  const signer = new SignatureV4({ service: 'lambda', region: config.region, credentials: config.credentials ?? defaultProvider(), sha256: Sha256 });
  const signed = await signer.sign({
    method: 'POST',
    protocol: target.protocol,
    hostname: target.hostname,
    ...(target.port && { port: Number(target.port) }),
    path: target.pathname,
    headers: { host: target.host, 'content-type': 'application/json' },
    body: text,
  });
  const response = await fetch(url, { method: 'POST', headers: signed.headers, body: text });
  const answer = await response.text();
  try {
    return { status: response.status, body: JSON.parse(answer) as unknown };
  } catch {
    return { status: response.status, body: answer };
  }
}
