// The auto-instrumentations a service gets, chosen by name from configuration. Health and metrics
// endpoints are never traced; database clients (pg, mysql2, knex, mongodb, redis, ioredis) and
// in-process helpers (DataLoader, generic-pool) only trace inside a request (no spans for pool
// keep-alives or cache warm-ups); Express and Koa middleware layers are skipped (route naming
// keeps working; a request costs the server span and its route handler's, not one per
// middleware). The pino, winston and bunyan instrumentations put trace_id, span_id and
// trace_flags into every record written inside a span, and, with a logs exporter configured,
// send each record as an OTLP log record (logs.ts, winston-logs.ts).
import type { IncomingMessage } from "node:http";
import type { Instrumentation } from "@opentelemetry/instrumentation";
import { AmqplibInstrumentation } from "@opentelemetry/instrumentation-amqplib";
import { AwsInstrumentation } from "@opentelemetry/instrumentation-aws-sdk";
import { BunyanInstrumentation } from "@opentelemetry/instrumentation-bunyan";
import { DataloaderInstrumentation } from "@opentelemetry/instrumentation-dataloader";
import { ExpressLayerType } from "@opentelemetry/instrumentation-express";
import { GenericPoolInstrumentation } from "@opentelemetry/instrumentation-generic-pool";
import { GraphQLInstrumentation } from "@opentelemetry/instrumentation-graphql";
import { GrpcInstrumentation } from "@opentelemetry/instrumentation-grpc";
import { HapiInstrumentation } from "@opentelemetry/instrumentation-hapi";
import { IORedisInstrumentation } from "@opentelemetry/instrumentation-ioredis";
import { KafkaJsInstrumentation } from "@opentelemetry/instrumentation-kafkajs";
import { KnexInstrumentation } from "@opentelemetry/instrumentation-knex";
import { KoaInstrumentation, KoaLayerType } from "@opentelemetry/instrumentation-koa";
import { MongoDBInstrumentation } from "@opentelemetry/instrumentation-mongodb";
import { NestInstrumentation } from "@opentelemetry/instrumentation-nestjs-core";
import { OpenAIInstrumentation } from "@opentelemetry/instrumentation-openai";
import { PgInstrumentation } from "@opentelemetry/instrumentation-pg";
import { PinoInstrumentation } from "@opentelemetry/instrumentation-pino";
import { RedisInstrumentation } from "@opentelemetry/instrumentation-redis";
import { SocketIoInstrumentation } from "@opentelemetry/instrumentation-socket.io";
import { UndiciInstrumentation } from "@opentelemetry/instrumentation-undici";
import type { InstrumentationName } from "./config.ts";
import { LeanExpressInstrumentation } from "./express-instrumentation.ts";
import { FastifyRouteInstrumentation } from "./fastify-instrumentation.ts";
import { compileGlobs } from "./glob.ts";
import { LeanHttpInstrumentation } from "./lean-http.ts";
import { ParentOnlyMySQL2Instrumentation } from "./parent-only.ts";
import { WinstonLogsInstrumentation } from "./winston-logs.ts";

/** Query parameters the http and undici instrumentations blank out of `url.full` and `url.query`. */
export const REDACTED_QUERY_PARAMS = [
  "access_token",
  "id_token",
  "refresh_token",
  "token",
  "api_key",
  "apikey",
  "key",
  "secret",
  "client_secret",
  "password",
  "code",
  "sig",
  "signature",
  "AWSAccessKeyId",
  "Signature",
  "X-Amz-Signature",
  "X-Amz-Credential",
  "X-Amz-Security-Token",
];

/**
 * db.query.text of a MongoDB command: its shape, every key kept and every value (strings, numbers,
 * dates, ids, binaries) replaced by "?", e.g. `{"insert":"?","documents":[{"email":"?"}]}`.
 * Documents and filters carry personal data as often as not. Said here rather than left to the
 * instrumentation's default (the same shape today) so that an upstream change cannot start
 * recording values.
 */
export function mongoStatementShape(command: Record<string, unknown>): string {
  const seen = new WeakSet<object>();
  return JSON.stringify(command, (_key, value: unknown) => {
    if (typeof value !== "object" || value === null) return "?";
    if (seen.has(value)) return "[Circular]";
    seen.add(value);
    return value;
  });
}

export function pathOf(url: string | undefined): string {
  if (!url) return "/";
  const q = url.indexOf("?");
  return q < 0 ? url : url.slice(0, q);
}

export function createInstrumentations(
  names: readonly InstrumentationName[],
  ignorePaths: readonly string[],
  logs: { sendLogs: boolean } = { sendLogs: false },
): Instrumentation[] {
  const disableLogSending = !logs.sendLogs;
  const isIgnored = compileGlobs(ignorePaths);
  const factories: Record<InstrumentationName, () => Instrumentation> = {
    http: () =>
      new LeanHttpInstrumentation({
        ignoreIncomingRequestHook: (req: IncomingMessage) => isIgnored(pathOf(req.url)),
        redactedQueryParams: REDACTED_QUERY_PARAMS,
        redactedQueryParamsServer: REDACTED_QUERY_PARAMS,
      }),
    undici: () => new UndiciInstrumentation(),
    express: () => new LeanExpressInstrumentation({ ignoreLayersType: [ExpressLayerType.MIDDLEWARE] }),
    fastify: () => new FastifyRouteInstrumentation(),
    pg: () => new PgInstrumentation({ requireParentSpan: true }),
    // mysql2 has no requireParentSpan option: parent-only.ts gives it the same behaviour. Its
    // statement is masked (literals become `?`): by default it would format the bound values,
    // personal data as often as not, into db.query.text.
    mysql2: () => new ParentOnlyMySQL2Instrumentation({ maskStatement: true }),
    // knex records its SQL with `?` placeholders, never the bindings; under it the driver's own
    // instrumentation (mysql2, pg) adds the wire-level span as a child.
    knex: () => new KnexInstrumentation({ requireParentSpan: true }),
    // One client span per command (`insert users`, `find users`), only inside a request, with the
    // command's shape and never its values (mongoStatementShape; enhancedDatabaseReporting, which
    // would record them, stays off).
    mongodb: () =>
      new MongoDBInstrumentation({
        requireParentSpan: true,
        enhancedDatabaseReporting: false,
        dbStatementSerializer: mongoStatementShape,
      }),
    redis: () => new RedisInstrumentation({ requireParentSpan: true }),
    ioredis: () => new IORedisInstrumentation({ requireParentSpan: true }),
    grpc: () => new GrpcInstrumentation(),
    kafkajs: () => new KafkaJsInstrumentation(),
    // A message is a request of its own: consuming one starts a trace (or continues the
    // publisher's), so no requireParentSpan here, as for kafkajs.
    amqplib: () => new AmqplibInstrumentation(),
    // One client span per AWS SDK v3 command (S3.PutObject, SQS.SendMessage…), the HTTP request
    // under it. No requireParentSpan: an SQS consumer's receive loop starts traces of its own, as
    // kafkajs and amqplib consumers do.
    "aws-sdk": () => new AwsInstrumentation(),
    // Router layers only, as for Express: the route names the request, middleware adds no span.
    koa: () => new KoaInstrumentation({ ignoreLayersType: [KoaLayerType.MIDDLEWARE] }),
    // One span per operation (parse, validate, execute), none per trivial field resolver, and never
    // the values of variables or arguments (they carry personal data as often as not).
    graphql: () =>
      new GraphQLInstrumentation({ mergeItems: true, ignoreTrivialResolveSpans: true, allowValues: false }),
    hapi: () => new HapiInstrumentation(),
    // Spans for the Nest app's creation, the controller and the handler of each request; the
    // route it reports names the server span, as Express's does.
    "nestjs-core": () => new NestInstrumentation(),
    "socket.io": () => new SocketIoInstrumentation(),
    dataloader: () => new DataloaderInstrumentation({ requireParentSpan: true }),
    "generic-pool": () => new GenericPoolInstrumentation(),
    // GenAI spans (model, token usage) without the prompts and completions: they carry personal
    // data as often as not. Said explicitly so that a change of upstream default cannot turn it
    // on; an operator opts in with OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT=true, which
    // the instrumentation reads itself and which overrides this.
    openai: () => new OpenAIInstrumentation({ captureMessageContent: false }),
    winston: () => new WinstonLogsInstrumentation({ sendLogs: !disableLogSending }),
    bunyan: () => new BunyanInstrumentation({ disableLogSending }),
    pino: () => new PinoInstrumentation({ disableLogSending }),
  };
  return [...new Set(names)].map((name) => factories[name]());
}
