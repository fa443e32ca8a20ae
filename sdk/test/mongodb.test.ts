// mongodb, instrumented by name, with the real `mongodb` npm driver. No MongoDB server installs here
// (Debian does not package it, and a compatible server built for the test would cost the cold CI
// build minutes), so the driver talks to a stub of MongoDB's wire protocol: a node:net server on
// 127.0.0.1 in this process that reads OP_QUERY (opcode 2004, the driver's first handshake) and
// OP_MSG (2013) messages, decodes their BSON with the driver's own `BSON`, and answers as a
// standalone primary would: hello/isMaster (wire version 21), ping, buildInfo, endSessions, insert
// (documents kept in memory per namespace), find and aggregate (the namespace's documents as one
// batch, filters ignored); any other command gets `{ok: 0, code: 59}` (CommandNotFound). What is
// tested is the client's spans: names, kind, parent, the semantic-convention attributes, no span
// outside a request, an error span for a refused command, and that no document value (an e-mail
// address here) is recorded: statements keep their shape only.
import { once } from "node:events";
import { createRequire } from "node:module";
import { type AddressInfo, createServer, type Socket } from "node:net";
import { context, SpanKind, SpanStatusCode, trace } from "@opentelemetry/api";
import type { ReadableSpan } from "@opentelemetry/sdk-trace";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { spansAfter, startInMemoryTracing } from "./support.ts";

const tracing = startInMemoryTracing({ instrumentations: ["mongodb"] });
const require = createRequire(import.meta.url);
const { BSON, MongoClient } = require("mongodb") as typeof import("mongodb");

const EMAIL = "jane.roe@example.org";
const OP_REPLY = 1;
const OP_QUERY = 2004;
const OP_MSG = 2013;

type Doc = Record<string, unknown>;
const stored = new Map<string, Doc[]>();
let connections = 0;

/** The reply of a standalone primary to one command (the first key names it). */
function reply(command: Doc, connectionId: number): Doc {
  const name = Object.keys(command)[0] ?? "";
  const db = String(command.$db ?? "admin");
  switch (name.toLowerCase()) {
    case "hello":
    case "ismaster":
      return {
        helloOk: true,
        isWritablePrimary: true,
        ismaster: true,
        maxBsonObjectSize: 16 * 1024 * 1024,
        maxMessageSizeBytes: 48_000_000,
        maxWriteBatchSize: 100_000,
        localTime: new Date(),
        logicalSessionTimeoutMinutes: 30,
        connectionId,
        minWireVersion: 0,
        maxWireVersion: 21,
        readOnly: false,
        ok: 1,
      };
    case "ping":
    case "endsessions":
      return { ok: 1 };
    case "buildinfo":
      return { version: "7.0.0", versionArray: [7, 0, 0, 0], ok: 1 };
    case "insert": {
      const ns = `${db}.${String(command.insert)}`;
      const documents = (command.documents as Doc[] | undefined) ?? [];
      stored.set(ns, [...(stored.get(ns) ?? []), ...documents]);
      return { n: documents.length, ok: 1 };
    }
    case "find":
    case "aggregate": {
      const ns = `${db}.${String(command[name])}`;
      return { cursor: { firstBatch: stored.get(ns) ?? [], id: 0n, ns }, ok: 1 };
    }
    default:
      return { ok: 0, errmsg: `no such command: '${name}'`, code: 59, codeName: "CommandNotFound" };
  }
}

function header(length: number, responseTo: number, opCode: number): Buffer {
  const h = Buffer.alloc(16);
  h.writeInt32LE(length, 0);
  h.writeInt32LE(0, 4);
  h.writeInt32LE(responseTo, 8);
  h.writeInt32LE(opCode, 12);
  return h;
}

function opMsg(responseTo: number, doc: Doc): Buffer {
  const body = BSON.serialize(doc);
  const flagsAndKind = Buffer.alloc(5); // flagBits 0, section kind 0
  return Buffer.concat([header(16 + 5 + body.length, responseTo, OP_MSG), flagsAndKind, body]);
}

function opReply(responseTo: number, doc: Doc): Buffer {
  const body = BSON.serialize(doc);
  const fields = Buffer.alloc(20); // responseFlags, cursorID (int64), startingFrom, numberReturned
  fields.writeInt32LE(1, 16);
  return Buffer.concat([header(16 + 20 + body.length, responseTo, OP_REPLY), fields, body]);
}

/** One whole message: its command decoded, the reply written (none if the client asked for none). */
function handle(socket: Socket, message: Buffer, connectionId: number) {
  const requestId = message.readInt32LE(4);
  const opCode = message.readInt32LE(12);
  if (opCode === OP_QUERY) {
    // flags, then fullCollectionName (a C string), numberToSkip, numberToReturn, the query.
    const nameEnd = message.indexOf(0, 20);
    const query = BSON.deserialize(message.subarray(nameEnd + 9)) as Doc;
    socket.write(opReply(requestId, reply(query, connectionId)));
    return;
  }
  if (opCode !== OP_MSG) {
    socket.destroy();
    return;
  }
  const flags = message.readUInt32LE(16);
  const end = message.length - (flags & 1 ? 4 : 0); // checksumPresent: a CRC-32C trails
  let command: Doc = {};
  for (let at = 20; at < end; ) {
    const kind = message[at];
    if (kind === 0) {
      const size = message.readInt32LE(at + 1);
      command = { ...(BSON.deserialize(message.subarray(at + 1, at + 1 + size)) as Doc), ...command };
      at += 1 + size;
    } else {
      // Kind 1, a document sequence: size, identifier (C string), documents up to the size.
      const size = message.readInt32LE(at + 1);
      const idEnd = message.indexOf(0, at + 5);
      const id = message.toString("utf8", at + 5, idEnd);
      const docs: Doc[] = [];
      for (let d = idEnd + 1; d < at + 1 + size; d += message.readInt32LE(d))
        docs.push(BSON.deserialize(message.subarray(d, d + message.readInt32LE(d))) as Doc);
      command[id] = docs;
      at += 1 + size;
    }
  }
  if (flags & 2) return; // moreToCome: the client expects no reply
  socket.write(opMsg(requestId, reply(command, connectionId)));
}

const sockets = new Set<Socket>();
const server = createServer((socket) => {
  sockets.add(socket);
  socket.on("close", () => sockets.delete(socket));
  const connectionId = ++connections;
  let pending = Buffer.alloc(0);
  socket.on("data", (chunk: Buffer) => {
    pending = Buffer.concat([pending, chunk]);
    while (pending.length >= 4 && pending.length >= pending.readInt32LE(0)) {
      const length = pending.readInt32LE(0);
      handle(socket, pending.subarray(0, length), connectionId);
      pending = pending.subarray(length);
    }
  });
  socket.on("error", () => socket.destroy());
});

const tracer = trace.getTracer("mongodb.test");
const test = suite("mongodb");
const state: { client?: InstanceType<typeof MongoClient>; port?: number } = {};
const names = (spans: readonly ReadableSpan[]) => JSON.stringify(spans.map((s) => s.name));
const mongoSpans = (spans: readonly ReadableSpan[]) =>
  spans.filter((s) => s.instrumentationScope.name === "@opentelemetry/instrumentation-mongodb");

test.before(async () => {
  // Port 0: the OS picks a free one, so there is no race to retry.
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  state.port = (server.address() as AddressInfo).port;
  state.client = new MongoClient(`mongodb://127.0.0.1:${state.port}/?directConnection=true`, {
    serverSelectionTimeoutMS: 3_000,
    connectTimeoutMS: 3_000,
    socketTimeoutMS: 5_000,
    heartbeatFrequencyMS: 60_000,
    retryWrites: false,
    retryReads: false,
    maxPoolSize: 1,
  });
  await state.client.connect();
  await tracing.takeSpans();
});

test.after(async () => {
  await state.client?.close();
  server.close();
  for (const socket of sockets) socket.destroy();
  await once(server, "close");
});

async function inRequest(work: () => Promise<unknown>) {
  const request = tracer.startSpan("POST /signup", { kind: SpanKind.SERVER });
  await context.with(trace.setSpan(context.active(), request), work);
  request.end();
  return request;
}

function client() {
  if (!state.client) throw new Error("no client");
  return state.client;
}

test("an insert and a find in a request are client spans of it, with the database attributes and no values", async () => {
  const users = client().db("shop").collection("users");
  const request = await inRequest(async () => {
    await users.insertOne({ email: EMAIL, plan: "pro", age: 42 });
    const found = await users.find({ email: EMAIL }).toArray();
    assert.is(found[0]?.email, EMAIL);
  });
  const spans = await spansAfter(tracing, 3);
  const insert = spans.find((s) => s.name === "insert users");
  const find = spans.find((s) => s.name === "find users");
  assert.ok(insert && find, `no "insert users" and "find users" spans in ${names(spans)}`);
  assert.is(mongoSpans(spans).length, 2, names(spans));
  for (const [span, operation] of [
    [insert, "insert"],
    [find, "find"],
  ] as const) {
    assert.is(span.kind, SpanKind.CLIENT);
    assert.is(span.parentSpanContext?.spanId, request.spanContext().spanId);
    assert.is(span.spanContext().traceId, request.spanContext().traceId);
    assert.is(span.status.code, SpanStatusCode.UNSET);
    const a = span.attributes;
    assert.is(a["db.system.name"], "mongodb");
    assert.is(a["db.namespace"], "shop");
    assert.is(a["db.collection.name"], "users");
    assert.is(a["db.operation.name"], operation);
    assert.is(a["server.address"], "127.0.0.1");
    assert.is(a["server.port"], state.port);
  }
  // The statement keeps the shape (which fields) and loses every value.
  assert.is(insert.attributes["db.query.text"], '{"email":"?","plan":"?","age":"?","_id":"?"}');
  assert.match(String(find.attributes["db.query.text"]), /"filter":\{"email":"\?"\}/);
  for (const span of spans)
    for (const [key, value] of Object.entries(span.attributes))
      assert.not.ok(String(value).includes(EMAIL) || String(value).includes("jane"), `${span.name} ${key}: ${value}`);
});

test("outside a request, no mongodb span is made", async () => {
  const users = client().db("shop").collection("users");
  await users.insertOne({ email: EMAIL });
  await users.find({}).toArray();
  await client().db("admin").command({ ping: 1 });
  const spans = await tracing.takeSpans();
  assert.is(mongoSpans(spans).length, 0, names(spans));
});

test("a command the server refuses is an error span", async () => {
  const users = client().db("shop").collection("users");
  let refused: unknown;
  const request = await inRequest(async () => {
    refused = await users.distinct("email").catch((error: unknown) => error);
  });
  assert.instance(refused, Error);
  assert.match((refused as Error).message, /no such command: 'distinct'/);
  const spans = await spansAfter(tracing, 2);
  // distinct goes as a database command (namespace shop.$cmd), which 0.77.0 names by that
  // namespace's collection part: `distinct $cmd`, not `distinct users`.
  const distinct = spans.find((s) => s.name === "distinct $cmd");
  assert.ok(distinct, `no "distinct $cmd" span in ${names(spans)}`);
  assert.is(distinct.kind, SpanKind.CLIENT);
  assert.is(distinct.parentSpanContext?.spanId, request.spanContext().spanId);
  assert.is(distinct.attributes["db.namespace"], "shop");
  assert.is(distinct.attributes["db.operation.name"], "distinct");
  assert.is(distinct.status.code, SpanStatusCode.ERROR);
  assert.match(String(distinct.status.message), /no such command/);
});

test.run();
