/**
 * The local cloud's one endpoint. It speaks the AWS wire protocols the SDK uses, so an unmodified
 * AWS SDK client (or the AWS CLI) works against it with `AWS_ENDPOINT_URL` set:
 *
 * - JSON protocols (EventBridge, Step Functions, SQS, DynamoDB): `POST /` with an
 *   `X-Amz-Target: <Prefix>.<Action>` header; routed by the prefix.
 * - REST services: SES v2, routed by path prefix to its own server; Lambda Invoke.
 * - `/_local/...`: the local cloud's own controls (clock, health).
 *
 * Unknown operations answer with the AWS error shape, never a crash.
 */
import { createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AwsServiceError, type JsonActionHandler } from '../aws-error.ts';

export interface JsonService {
  /** The `X-Amz-Target` prefix, e.g. `AmazonSQS`, `AWSEvents`, `AWSStepFunctions`. */
  readonly targetPrefix: string;
  readonly handle: JsonActionHandler;
}

export interface ProxyRoute {
  /** Requests whose path starts with this go to `target`. */
  readonly pathPrefix: string;
  readonly target: { host: string; port: number };
}

/** A request for one of the local cloud's own controls, under `/_local/`. */
export type ControlHandler = (method: string, path: string, body: unknown) => Promise<unknown>;

/** An HTTP endpoint the stack declares (a function URL), answered by the local cloud. */
export interface HttpRoute {
  readonly pathPrefix: string;
  readonly handle: (request: {
    method: string;
    url: string;
    headers: IncomingMessage['headers'];
    body: Buffer;
  }) => Promise<{ status: number; headers: Record<string, string | string[]>; body: Buffer | string }>;
}

/** A request as it reached the edge, for the caller's authorization. */
export interface EdgeRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingMessage['headers'];
  readonly body: Buffer;
  /** A JSON-protocol request's body, parsed once for the authorizer and the service. */
  readonly input?: Record<string, unknown>;
}

/**
 * What happens to the answer of a request once it was applied: sent (`answer`), or replaced by
 * the error a call from an ended invocation gets (`end`: whatever its code does with it, nothing
 * it asks for is applied any more, and the platform no longer waits for its result).
 */
export type AnswerFate = 'answer' | 'end';

/** Decides, for calls a function makes, whether the function's invocation goes on (see crash-points.ts). */
export interface InvocationGate {
  /** The request comes from an invocation that has ended: refuse it, unapplied. */
  refuses(request: EdgeRequest): boolean;
  /** The request was applied (answered with success): what becomes of the answer. */
  afterApplied(request: EdgeRequest): AnswerFate;
}

export interface EdgeOptions {
  readonly jsonServices: readonly JsonService[];
  readonly invocations?: InvocationGate;
  /** Decides whether the caller may make the request; throws the AWS error that refuses it. */
  readonly authorize?: (request: EdgeRequest) => Promise<void>;
  readonly httpRoutes?: readonly HttpRoute[];
  readonly restProxies?: readonly ProxyRoute[];
  readonly control?: ControlHandler;
}

const MAX_BODY_BYTES = 6 * 1024 * 1024;

/** @throws SyntaxError when the body is not JSON */
const parseJsonBody = (body: Buffer): Record<string, unknown> => (body.length > 0 ? (JSON.parse(body.toString('utf8')) as Record<string, unknown>) : {});

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new AwsServiceError('RequestEntityTooLarge', `request body over ${MAX_BODY_BYTES} bytes`, 413));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function sendJson(res: ServerResponse, status: number, body: unknown, contentType = 'application/x-amz-json-1.1'): void {
  const text = body === undefined ? '{}' : JSON.stringify(body);
  res.writeHead(status, { 'content-type': contentType, 'content-length': Buffer.byteLength(text), 'x-amzn-requestid': crypto.randomUUID() });
  res.end(text);
}

export function sendError(res: ServerResponse, error: unknown, contentType?: string): void {
  const known = error instanceof AwsServiceError;
  const code = known ? error.code : 'InternalFailure';
  const message = error instanceof Error ? error.message : String(error);
  if (!res.headersSent) res.setHeader('x-amzn-errortype', code);
  sendJson(res, known ? error.statusCode : 500, { __type: code, message }, contentType);
}

/** The error a call from an invocation that has ended gets (its caller is gone: nobody reads it). */
const ended = () => new AwsServiceError('InvocationEnded', 'the calling invocation has ended', 400);

/** Sends an applied request's answer, unless the gate ended its caller. */
function answerApplied(res: ServerResponse, fate: AnswerFate, send: () => void): void {
  if (fate === 'answer') send();
  else sendError(res, ended());
}

function proxy(req: IncomingMessage, res: ServerResponse, body: Buffer, target: { host: string; port: number }, fateOf: () => AnswerFate): void {
  const forward = httpRequest(
    { host: target.host, port: target.port, method: req.method, path: req.url, headers: { ...req.headers, host: `${target.host}:${target.port}` } },
    (upstream) => {
      const fate = (upstream.statusCode ?? 502) < 300 ? fateOf() : 'answer';
      if (fate !== 'answer') {
        upstream.resume();
        return answerApplied(res, fate, () => undefined);
      }
      res.writeHead(upstream.statusCode ?? 502, upstream.headers);
      upstream.pipe(res);
    },
  );
  forward.on('error', (error) => sendError(res, new AwsServiceError('ServiceUnavailable', `local service unreachable: ${error.message}`, 503)));
  forward.end(body);
}

/**
 * How long an idle connection stays open. Node's 5 s default races with clients that reuse a
 * connection for up to 4 s (fetch's own default): on a busy machine the server closes a socket the
 * client has just sent on, and the request fails with ECONNRESET. A minute is beyond any client's
 * reuse window; `close()` still ends idle connections at once.
 */
const KEEP_ALIVE_MS = 60_000;

export function createEdgeServer(options: EdgeOptions): Server {
  const byPrefix = new Map(options.jsonServices.map((service) => [service.targetPrefix, service]));

  const server = createServer((req, res) => {
    void (async () => {
      const body = await readBody(req);
      const url = req.url ?? '/';
      if (url.startsWith('/_local/') && options.control) {
        const parsed = body.length > 0 ? (JSON.parse(body.toString('utf8')) as unknown) : undefined;
        sendJson(res, 200, await options.control(req.method ?? 'GET', url.slice('/_local'.length), parsed), 'application/json');
        return;
      }
      const target = req.headers['x-amz-target'];
      const contentType = req.headers['content-type'] ?? 'application/x-amz-json-1.1';
      const route = options.httpRoutes?.find((candidate) => url.startsWith(candidate.pathPrefix));
      const input = typeof target === 'string' && !route ? parseJsonBody(body) : undefined;
      const edgeRequest: EdgeRequest = { method: req.method ?? 'GET', url, headers: req.headers, body, ...(input && { input }) };
      const fateOf = (): AnswerFate => options.invocations?.afterApplied(edgeRequest) ?? 'answer';
      if (options.invocations?.refuses(edgeRequest)) return sendError(res, ended(), typeof target === 'string' ? contentType : 'application/json');
      try {
        await options.authorize?.(edgeRequest);
      } catch (error) {
        return sendError(res, error, typeof target === 'string' ? contentType : 'application/json');
      }
      if (route) {
        const answer = await route.handle(edgeRequest);
        return answerApplied(res, answer.status < 300 ? fateOf() : 'answer', () => {
          res.writeHead(answer.status, answer.headers);
          res.end(answer.body);
        });
      }
      if (typeof target === 'string') {
        const [prefix = '', action = ''] = target.split('.');
        const service = byPrefix.get(prefix);
        if (!service) throw new AwsServiceError('UnknownOperationException', `no local service answers ${target}`);
        try {
          // In Node the SDK's full user agent, with the app id a function's SDK is given, is User-Agent.
          const output = await service.handle(action, input ?? {}, { userAgent: String(req.headers['user-agent'] ?? '') });
          answerApplied(res, fateOf(), () => sendJson(res, 200, output, contentType));
        } catch (error) {
          sendError(res, error, contentType);
        }
        return;
      }
      const upstreamRoute = options.restProxies?.find((candidate) => url.startsWith(candidate.pathPrefix));
      if (upstreamRoute) return proxy(req, res, body, upstreamRoute.target, fateOf);
      throw new AwsServiceError('UnknownOperationException', `no local service answers ${req.method} ${url}`, 404);
    })().catch((error: unknown) => {
      if (error instanceof SyntaxError) return sendError(res, new AwsServiceError('SerializationException', 'request body is not valid JSON'));
      sendError(res, error);
    });
  });
  server.keepAliveTimeout = KEEP_ALIVE_MS;
  // A headers timeout above the idle one, as Node's documentation advises.
  server.headersTimeout = KEEP_ALIVE_MS + 1_000;
  return server;
}

/** Starts listening on loopback; resolves with the bound port (pass 0 for any free port). */
export function listen(server: Server, port: number, host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}
