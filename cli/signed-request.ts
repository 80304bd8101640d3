/**
 * A request to a function URL with AWS_IAM auth, signed with SigV4 as the AWS SDK signs its own:
 * the CLI's credentials (the target's, or the standard chain for a deployed stack).
 */
import { defaultProvider } from '@aws-sdk/credential-provider-node';
import { Sha256 } from '@smithy/core/checksum';
import { SignatureV4 } from '@smithy/signature-v4';

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
