/**
 * An error a local service answers with, in the shape AWS's JSON protocols use, so that the AWS
 * SDK raises the same exception class it would against AWS (e.g. `ResourceNotFoundException`).
 */
export class AwsServiceError extends Error {
  override readonly name = 'AwsServiceError';
  constructor(
    /** The AWS error code, e.g. `ResourceNotFoundException`. */
    readonly code: string,
    message: string,
    readonly statusCode = 400,
  ) {
    super(message);
  }
}

/** Who made a call, as the request says: the user agent (a function's SDK names its function there). */
export interface CallContext {
  readonly userAgent?: string;
}

/** A handler for one service's JSON protocol: an action name and its input, the output back. */
export type JsonActionHandler = (action: string, input: Record<string, unknown>, context?: CallContext) => Promise<unknown>;

export function unknownOperation(service: string, action: string): AwsServiceError {
  return new AwsServiceError('UnknownOperationException', `${service} does not support ${action} in the local cloud`);
}
