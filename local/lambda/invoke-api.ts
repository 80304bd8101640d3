/**
 * Lambda's Invoke operation on the edge (`POST /2015-03-31/functions/<name>/invocations`), as the
 * SDK's InvokeCommand and `aws lambda invoke` send it: `Event` invocations are accepted at once
 * (202) and run with Lambda's asynchronous retries and failure destination; `RequestResponse`
 * invocations answer with the function's result, or its error with `X-Amz-Function-Error`.
 */
import { AwsServiceError } from '../aws-error.ts';
import type { HttpRequest, HttpResponse } from './function-url.ts';
import { FunctionError } from './function-sandbox.ts';
import type { LambdaService } from './lambda-service.ts';

export const INVOKE_PATH_PREFIX = '/2015-03-31/functions/';
const INVOCATIONS = /^\/2015-03-31\/functions\/([^/]+)\/invocations$/;

const json = (status: number, body: unknown, headers: Record<string, string> = {}): HttpResponse => ({
  status,
  headers: { 'content-type': 'application/json', ...headers },
  body: body === undefined ? '' : JSON.stringify(body),
});

const errorResponse = (error: AwsServiceError): HttpResponse =>
  json(error.statusCode, { Type: 'User', message: error.message }, { 'x-amzn-errortype': error.code });

export async function serveInvoke(request: HttpRequest, lambda: () => LambdaService): Promise<HttpResponse> {
  const match = INVOCATIONS.exec(new URL(request.url, 'http://localhost').pathname);
  if (request.method !== 'POST' || !match?.[1])
    return errorResponse(new AwsServiceError('UnknownOperationException', `no local Lambda operation at ${request.method} ${request.url}`, 404));
  const functionName = decodeURIComponent(match[1]);
  const invocationType = String(request.headers['x-amz-invocation-type'] ?? 'RequestResponse');
  let payload: unknown;
  try {
    payload = request.body.length > 0 ? (JSON.parse(request.body.toString('utf8')) as unknown) : {};
  } catch {
    return errorResponse(new AwsServiceError('InvalidRequestContentException', 'Could not parse request body into json', 400));
  }
  try {
    switch (invocationType) {
      case 'Event':
        lambda().invokeAsync(functionName, payload);
        return json(202, undefined);
      case 'RequestResponse':
        return json(200, await lambda().invoke(functionName, payload), { 'x-amz-executed-version': '$LATEST' });
      default:
        return errorResponse(
          new AwsServiceError('InvalidParameterValueException', `InvocationType ${invocationType} is not one of Event, RequestResponse`, 400),
        );
    }
  } catch (error) {
    if (error instanceof FunctionError) return json(200, error.payload, { 'x-amz-function-error': 'Unhandled', 'x-amz-executed-version': '$LATEST' });
    if (error instanceof AwsServiceError) return errorResponse(error);
    throw error;
  }
}
