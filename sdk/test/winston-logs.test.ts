// How a winston record becomes an OTLP log record: winston's level names (npm, syslog, cli) as
// severities, the message as body, the other fields as attributes without the correlation fields
// (the record carries its trace in the context it was written in), and that context.
import { context, createContextKey, ROOT_CONTEXT, SeverityNumber } from "@opentelemetry/api";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { logRecordOf } from "../src/winston-logs.ts";

const RECORD_CONTEXT = Symbol.for("opentelemetry.js.contrib.winston.context");

test("levels of winston's npm, syslog and cli sets map to severities; unknown ones stay unspecified", () => {
  const severity = (level: string) => logRecordOf({ level, message: "m" }).severityNumber;
  assert.is(severity("error"), SeverityNumber.ERROR);
  assert.is(severity("warn"), SeverityNumber.WARN);
  assert.is(severity("warning"), SeverityNumber.WARN);
  assert.is(severity("info"), SeverityNumber.INFO);
  assert.is(severity("http"), SeverityNumber.DEBUG3);
  assert.is(severity("debug"), SeverityNumber.DEBUG);
  assert.is(severity("silly"), SeverityNumber.TRACE);
  assert.is(severity("emerg"), SeverityNumber.FATAL3);
  assert.is(severity("crit"), SeverityNumber.FATAL);
  assert.is(severity("custom"), SeverityNumber.UNSPECIFIED);
  assert.is(logRecordOf({ level: "custom", message: "m" }).severityText, "custom");
});

test("message as body, other fields as attributes, correlation fields left out", () => {
  const record = logRecordOf({
    level: "info",
    message: "order placed",
    order: 42,
    logger: "winston",
    trace_id: "0af7651916cd43dd8448eb211c80319c",
    span_id: "b7ad6b7169203331",
    trace_flags: "01",
  });
  assert.is(record.body, "order placed");
  assert.equal(record.attributes, { order: 42, logger: "winston" });
  assert.is(logRecordOf({ level: "info", message: { a: 1 } }).body, '{"a":1}');
  const cyclic: Record<string, unknown> = {};
  cyclic.self = cyclic;
  assert.is(logRecordOf({ level: "info", message: cyclic }).body, "[object Object]");
  assert.is(logRecordOf({ level: "info", message: 10n }).body, "10");
});

test("the record is emitted in the context it was written in, else the active one", () => {
  const written = ROOT_CONTEXT.setValue(createContextKey("request"), "r-1");
  assert.is(logRecordOf({ level: "info", message: "m", [RECORD_CONTEXT]: written }).context, written);
  assert.is(logRecordOf({ level: "info", message: "m" }).context, context.active());
});

test.run();
