/**
 * A wire-level Bedrock Runtime on 127.0.0.1 that the real `@aws-sdk/client-bedrock-runtime` talks
 * to: HTTP/1.1 and cleartext HTTP/2 on one port, SigV4 (or API key) checked on every request,
 * Converse, ConverseStream, InvokeModel (embeddings) and ApplyGuardrail, scripted replies and
 * injected faults; the agent runtime's Retrieve (scriptable Knowledge Bases) and Rerank too.
 * CommonJS-safe (no top-level await, no import.meta): the VS Code integration suite bundles it.
 */
import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import type { AnyRequest as Req, AnyResponse as Res } from './dualProtocolServer';
import { listenDualProtocol } from './dualProtocolServer';
import type { ConverseBody, ScriptedReply, WireUsage } from './converseFake';
import { inputTokensOf, planOutcome, PromptCache, validateConverse } from './converseFake';
import { invokeEmbedding } from './embeddingsFake';
import { converseStreamFrames, exceptionFrame } from './eventStreamFrames';
import { DEFAULT_PROFILE_ONLY, kindOf, resolveModel } from './fakeModels';
import type { Fault, FakeOperation } from './faults';
import { FaultBook } from './faults';
import type { GuardrailScript } from './guardrailFake';
import { applyGuardrail } from './guardrailFake';
import { FakeCloudWatch, isCloudWatchRequest } from './cloudWatchFake';
import type { Route } from './fakeRoutes';
import { flatHeaders, parseRoute } from './fakeRoutes';
import type { FakeCredential } from './fakeCredentials';
import { defaultFakeCredentials, FAKE_ACCESS_KEY_ID, FAKE_BEDROCK_API_KEY, FAKE_REGION, FAKE_SECRET_ACCESS_KEY } from './fakeCredentials';
import { verifySigV4 } from './sigv4';
import { FakeKnowledgeBases } from './knowledgeBaseFake';
import { fakeRerank } from './rerankFake';
import type { WireError } from './wireErrors';
import { STREAM_EXCEPTION_MESSAGES, wireErrorReply } from './wireErrors';

/** Everything is optional: the defaults model us-east-1 Bedrock with the test credentials. */
export interface FakeBedrockOptions {
  /** TCP port on 127.0.0.1; 0 (default) picks a free one. */
  port?: number;
  /** Default: the three exported key sets (long-term, session, expired). */
  credentials?: FakeCredential[];
  /** Bedrock API keys accepted as `Authorization: Bearer`; default [FAKE_BEDROCK_API_KEY]. */
  apiKeys?: string[];
  /** Minimum cached prefix in tokens: one number, or per model-id pattern (first match; default 1024). */
  cacheMinimumTokens?: number | Array<{ model: string | RegExp; tokens: number }>;
  /** Prompt-cache time to live in ms; default 5 minutes. */
  cacheTtlMs?: number;
  /** Input beyond this many tokens is "too long"; default 200,000. */
  contextWindowTokens?: number;
  /** Bare model ids that need an inference profile; default DEFAULT_PROFILE_ONLY. */
  profileOnlyModels?: RegExp[];
  /** Clock in ms for the cache TTL, rate limits and request times; default Date.now. */
  now?: () => number;
  /** One line per request (the CLI prints them). */
  log?: (line: string) => void;
}

/** Everything the fake saw of one request. */
export interface RecordedRequest {
  operation: FakeOperation | 'Unknown';
  /** Decoded from the path. */
  modelId?: string;
  guardrail?: { id: string; version: string };
  /** Retrieve: the Knowledge Base ID from the path. */
  knowledgeBaseId?: string;
  method: string;
  /** Raw request target, still percent-encoded. */
  path: string;
  httpVersion: string;
  /** Lower-case names; arrays joined with ', '. */
  headers: Record<string, string>;
  /** Parsed JSON, or the raw text when it is not JSON. */
  body: unknown;
  signature: { scheme: 'sigv4' | 'bearer' | 'none'; valid: boolean; errorType?: string; accessKeyId?: string; region?: string };
  /** Status of the reply (200 also for streams that later fail). */
  status: number;
  errorType?: string;
  /** Arrival time, ms since the epoch (options.now). */
  time: number;
  /** What the fake reported as billed: Converse usage, or the input tokens of an embedding call. */
  reported?: { usage?: WireUsage; inputTokens?: number };
}

/** Queues of scripted answers, consumed in order; empty queues fall back to defaults. */
export interface FakeScript {
  reply(reply: ScriptedReply): void;
  guardrail(verdict: GuardrailScript): void;
}

/** A running fake: where it listens, what it saw, and the knobs to script and break it. */
export interface FakeBedrock {
  /** http://127.0.0.1:<port> */
  readonly url: string;
  readonly port: number;
  /** Spread into process.env or a child's env to point the SDK at the fake. */
  readonly env: Record<string, string>;
  readonly requests: RecordedRequest[];
  readonly script: FakeScript;
  /** Knowledge Bases that Retrieve answers from: `knowledgeBase.add(id, docs)`. */
  readonly knowledgeBase: FakeKnowledgeBases;
  /** CloudWatch PutMetricData on the same port (AWS_ENDPOINT_URL_CLOUDWATCH): its own request log and datums. */
  readonly cloudWatch: FakeCloudWatch;
  readonly faults: { add(fault: Fault): () => void; clear(): void };
  /** Forgets requests, scripts, faults, Knowledge Bases and the prompt cache. */
  reset(): void;
  close(): Promise<void>;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Starts the fake on 127.0.0.1 and resolves once it listens. */
export async function startFakeBedrock(options: FakeBedrockOptions = {}): Promise<FakeBedrock> {
  const now = options.now ?? Date.now;
  const credentials = options.credentials ?? defaultFakeCredentials();
  const apiKeys = options.apiKeys ?? [FAKE_BEDROCK_API_KEY];
  const profileOnly = options.profileOnlyModels ?? DEFAULT_PROFILE_ONLY;
  const contextWindow = options.contextWindowTokens ?? 200_000;
  const cache = new PromptCache(options.cacheTtlMs ?? 5 * 60_000);
  const faults = new FaultBook();
  const requests: RecordedRequest[] = [];
  const knowledgeBases = new FakeKnowledgeBases();
  const cloudWatch = new FakeCloudWatch(credentials);
  let replies: ScriptedReply[] = [];
  let verdicts: GuardrailScript[] = [];
  let toolUseCounter = 0;

  const cacheMinimum = (modelId: string): number => {
    const rule = options.cacheMinimumTokens;
    if (typeof rule === 'number') return rule;
    const hit = rule?.find((r) => (typeof r.model === 'string' ? modelId.includes(r.model) : r.model.test(modelId)));
    return hit?.tokens ?? 1024;
  };

  function authenticate(record: RecordedRequest, req: Req, body: Buffer): WireError | undefined {
    const authorization = record.headers.authorization ?? '';
    if (authorization.startsWith('Bearer ')) {
      const valid = apiKeys.includes(authorization.slice('Bearer '.length).trim());
      record.signature = { scheme: 'bearer', valid, errorType: valid ? undefined : 'AccessDeniedException' };
      return valid
        ? undefined
        : { type: 'AccessDeniedException', message: 'Authentication failed: Please make sure your API Key is valid.' };
    }
    const verdict = verifySigV4(
      { method: req.method ?? 'GET', path: req.url ?? '/', headers: record.headers, body },
      // The SDK signs with the real clock, so the 15-minute window uses it too (not options.now).
      { lookup: (id) => credentials.find((c) => c.accessKeyId === id), service: 'bedrock', now: Date.now() },
    );
    if (verdict.ok) {
      record.signature = { scheme: 'sigv4', valid: true, accessKeyId: verdict.accessKeyId, region: verdict.region };
      return undefined;
    }
    record.signature = {
      scheme: authorization ? 'sigv4' : 'none',
      valid: false,
      errorType: verdict.errorType,
      accessKeyId: verdict.accessKeyId,
    };
    return { type: verdict.errorType, message: verdict.message };
  }

  function sendJson(res: Res, record: RecordedRequest, status: number, json: unknown, extra: Record<string, string> = {}): void {
    const text = JSON.stringify(json);
    record.status = status;
    res.writeHead(status, {
      'content-type': 'application/json',
      'content-length': String(Buffer.byteLength(text)),
      'x-amzn-requestid': randomUUID(),
      ...extra,
    });
    res.end(text);
  }

  function sendError(res: Res, record: RecordedRequest, error: WireError): void {
    const reply = wireErrorReply(error, randomUUID());
    record.status = reply.status;
    record.errorType = error.type;
    res.writeHead(reply.status, { ...reply.headers, 'content-length': String(Buffer.byteLength(reply.body)) });
    res.end(reply.body);
  }

  // A dropped connection, as the client sees a network failure mid-stream.
  function drop(req: Req): void {
    if ('stream' in req) req.stream.session?.destroy();
    else req.socket.destroy();
  }

  async function converse(
    req: Req,
    res: Res,
    record: RecordedRequest,
    route: Route,
    json: unknown,
    faultsFor: ReturnType<FaultBook['decide']>,
  ): Promise<void> {
    const model = resolveModel(route.modelId ?? '', profileOnly);
    if ('error' in model) return sendError(res, record, model.error);
    if (kindOf(model) === 'embedding')
      return sendError(res, record, {
        type: 'ValidationException',
        message: "This action doesn't support the model that you provided. Try again with a supported text or chat model.",
      });
    const body = (json ?? {}) as ConverseBody;
    const problem = validateConverse(body);
    if (problem) return sendError(res, record, { type: 'ValidationException', message: problem });
    if (inputTokensOf(body) > contextWindow)
      return sendError(res, record, { type: 'ValidationException', message: 'Input is too long for requested model.' });
    const outcome = planOutcome(body, replies.shift(), () => `tooluse_fake${String(++toolUseCounter).padStart(6, '0')}`);
    const usage = cache.usage(model.modelId, body, cacheMinimum(model.modelId), outcome.outputTokens, record.time);
    record.reported = { usage };
    const latencyMs = Math.max(1, now() - record.time);
    if (route.operation === 'Converse') {
      const reply: Record<string, unknown> = {
        output: { message: { role: 'assistant', content: outcome.content } },
        stopReason: outcome.stopReason,
        usage,
        metrics: { latencyMs },
      };
      if (outcome.trace !== undefined) reply.trace = outcome.trace;
      return sendJson(res, record, 200, reply);
    }
    const frames = converseStreamFrames(outcome, usage, latencyMs);
    record.status = 200;
    res.writeHead(200, { 'content-type': 'application/vnd.amazon.eventstream', 'x-amzn-requestid': randomUUID() });
    let gone = false;
    res.on('close', () => (gone = true));
    const write = (frame: Uint8Array) => new Promise<void>((resolve) => (res as ServerResponse).write(frame, () => resolve()));
    for (let i = 0; i < frames.length; i++) {
      if (gone) return;
      const ex = faultsFor.streamException;
      if (ex && i === ex.afterFrames) {
        await write(exceptionFrame(ex.exception, ex.message ?? STREAM_EXCEPTION_MESSAGES[ex.exception]));
        res.end();
        return;
      }
      if (faultsFor.cutAfterFrames === i) {
        // Let the frames already written reach the client before the connection goes.
        await sleep(100);
        drop(req);
        return;
      }
      await write(frames[i] as Uint8Array);
      if (faultsFor.frameDelayMs > 0) await sleep(faultsFor.frameDelayMs);
    }
    res.end();
  }

  async function handle(req: Req, res: Res): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks);
    // CloudWatch (AWS JSON 1.0, signed as `monitoring`) keeps its own log, apart from Bedrock's.
    if (isCloudWatchRequest(req.headers)) {
      cloudWatch.handle(req, res, raw);
      const call = cloudWatch.requests[cloudWatch.requests.length - 1];
      options.log?.(`POST CloudWatch ${call?.operation} -> ${call?.status}${call?.errorType ? ` ${call.errorType}` : ''}`);
      return;
    }
    const text = raw.toString('utf8');
    let json: unknown;
    let jsonOk = true;
    try {
      json = text === '' ? undefined : JSON.parse(text);
    } catch {
      jsonOk = false;
    }
    const route = parseRoute(req.method ?? '', req.url ?? '');
    const record: RecordedRequest = {
      operation: route?.operation ?? 'Unknown',
      modelId: route?.modelId,
      guardrail: route?.guardrail,
      knowledgeBaseId: route?.knowledgeBaseId,
      method: req.method ?? '',
      path: req.url ?? '',
      httpVersion: req.httpVersion,
      headers: flatHeaders(req.headers),
      body: jsonOk ? json : text,
      signature: { scheme: 'none', valid: false },
      status: 0,
      time: now(),
    };
    requests.push(record);
    try {
      const authError = authenticate(record, req, raw);
      if (authError) return sendError(res, record, authError);
      if (!route) return sendError(res, record, { type: 'UnknownOperationException' });
      if (!jsonOk) return sendError(res, record, { type: 'SerializationException', message: 'Unable to parse the request body as JSON.' });
      const decision = faults.decide(route.operation, route.modelId, record.time);
      if (decision.delayMs > 0) {
        let gone = false;
        res.once('close', () => (gone = true));
        await sleep(decision.delayMs);
        // The client gave up (timeout, abort): there is nobody left to answer.
        if (gone) return;
      }
      if (decision.error) return sendError(res, record, decision.error);
      if (route.operation === 'ApplyGuardrail' && route.guardrail) {
        const result = applyGuardrail(route.guardrail.id, route.guardrail.version, json, verdicts.shift());
        return 'error' in result ? sendError(res, record, result.error) : sendJson(res, record, 200, result.json);
      }
      if (route.operation === 'Retrieve' || route.operation === 'Rerank') {
        const result = route.operation === 'Retrieve' ? knowledgeBases.retrieve(route.knowledgeBaseId ?? '', json) : fakeRerank(json);
        return 'error' in result ? sendError(res, record, result.error) : sendJson(res, record, 200, result.json);
      }
      if (route.operation === 'InvokeModel') {
        const model = resolveModel(route.modelId ?? '', profileOnly);
        if ('error' in model) return sendError(res, record, model.error);
        const result = invokeEmbedding(model.foundationModel ?? model.modelId, json);
        if ('error' in result) return sendError(res, record, result.error);
        record.reported = { inputTokens: result.inputTokens };
        return sendJson(res, record, 200, result.json, {
          'x-amzn-bedrock-input-token-count': String(result.inputTokens),
          'x-amzn-bedrock-invocation-latency': String(Math.max(1, now() - record.time)),
        });
      }
      return await converse(req, res, record, route, json, decision);
    } finally {
      options.log?.(
        `${record.method} ${record.operation}${record.modelId ? ` ${record.modelId}` : ''} -> ${record.status}${record.errorType ? ` ${record.errorType}` : ''} (HTTP/${record.httpVersion}, ${record.signature.scheme} ${record.signature.valid ? 'ok' : 'rejected'})`,
      );
    }
  }

  const onRequest = (req: Req, res: Res) => {
    handle(req, res).catch((err: unknown) => {
      options.log?.(`fake bedrock: handler failed: ${String(err)}`);
      try {
        if (!res.headersSent) sendError(res, { status: 0 } as RecordedRequest, { type: 'InternalServerException' });
      } catch {
        // The stream is already gone.
      }
    });
  };
  const server = await listenDualProtocol(onRequest, options.port ?? 0);
  const port = server.port;
  const url = `http://127.0.0.1:${port}`;

  return {
    url,
    port,
    env: {
      AWS_ENDPOINT_URL_BEDROCK_RUNTIME: url,
      AWS_ENDPOINT_URL_BEDROCK_AGENT_RUNTIME: url,
      AWS_ENDPOINT_URL_CLOUDWATCH: url,
      AWS_ACCESS_KEY_ID: FAKE_ACCESS_KEY_ID,
      AWS_SECRET_ACCESS_KEY: FAKE_SECRET_ACCESS_KEY,
      AWS_REGION: FAKE_REGION,
      AWS_EC2_METADATA_DISABLED: 'true',
    },
    requests,
    knowledgeBase: knowledgeBases,
    cloudWatch,
    script: {
      reply: (reply) => void replies.push(reply),
      guardrail: (verdict) => void verdicts.push(verdict),
    },
    faults: { add: (fault) => faults.add(fault), clear: () => faults.clear() },
    reset() {
      requests.length = 0;
      replies = [];
      verdicts = [];
      faults.clear();
      knowledgeBases.clear();
      cloudWatch.reset();
      cache.clear();
    },
    close: () => server.close(),
  };
}
