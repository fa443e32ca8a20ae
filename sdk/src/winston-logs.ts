// winston's records as OTLP log records. The upstream winston instrumentation adds trace ids to
// every record and, for sending, loads @opentelemetry/winston-transport, whose published versions
// use the separate @opentelemetry/api-logs package: under the API 1.10 line this SDK is built on,
// where the logs API is part of @opentelemetry/api, that transport would emit into a do-nothing
// logger. So the instrumentation here keeps upstream's correlation and adds its own transport: a
// plain object-mode stream (what winston pipes its records into; no winston-transport import, so
// the application's winston version decides nothing here) that emits each record through the
// instrumentation's logger, in the context the record was written in, with winston's level as
// severity. The records then go through the same log processors as pino's and bunyan's (redaction
// included, see logs.ts).
import { Writable } from "node:stream";
import {
  type Attributes,
  type AttributeValue,
  type Context,
  context,
  type Logger,
  type LogRecord,
  SeverityNumber,
} from "@opentelemetry/api";
import { WinstonInstrumentation, type WinstonInstrumentationConfig } from "@opentelemetry/instrumentation-winston";

// Where upstream's write patch leaves the context a record was written in.
const RECORD_CONTEXT = Symbol.for("opentelemetry.js.contrib.winston.context");
// Added to the record by the correlation patch; the log record carries the trace in its context.
const CORRELATION_FIELDS = new Set(["trace_id", "span_id", "trace_flags"]);

/** winston's npm, syslog and cli level names, as OpenTelemetry severities. */
const SEVERITY: Readonly<Record<string, SeverityNumber>> = {
  emerg: SeverityNumber.FATAL3,
  alert: SeverityNumber.FATAL2,
  crit: SeverityNumber.FATAL,
  error: SeverityNumber.ERROR,
  warning: SeverityNumber.WARN,
  warn: SeverityNumber.WARN,
  notice: SeverityNumber.INFO2,
  help: SeverityNumber.INFO2,
  data: SeverityNumber.INFO3,
  info: SeverityNumber.INFO,
  http: SeverityNumber.DEBUG3,
  verbose: SeverityNumber.DEBUG2,
  debug: SeverityNumber.DEBUG,
  prompt: SeverityNumber.TRACE2,
  input: SeverityNumber.TRACE2,
  silly: SeverityNumber.TRACE,
};

interface WinstonRecord {
  level?: unknown;
  message?: unknown;
  [key: string]: unknown;
  [RECORD_CONTEXT]?: Context;
}

/** A message that is not a string, as JSON; what JSON cannot hold (a cycle, a bigint) as String(). */
function bodyOf(message: unknown): string {
  try {
    return JSON.stringify(message) ?? String(message);
  } catch {
    return String(message);
  }
}

/** The record a winston record becomes: body = message, attributes = its other fields. */
export function logRecordOf(info: WinstonRecord): LogRecord {
  const { level, message, ...fields } = info;
  const attributes: Attributes = {};
  for (const [key, value] of Object.entries(fields))
    if (!CORRELATION_FIELDS.has(key) && value !== undefined) attributes[key] = value as AttributeValue;
  const severityText = typeof level === "string" ? level : undefined;
  return {
    severityNumber: (severityText && SEVERITY[severityText]) || SeverityNumber.UNSPECIFIED,
    severityText,
    body: typeof message === "string" || message === undefined ? message : bodyOf(message),
    attributes,
    context: info[RECORD_CONTEXT] ?? context.active(),
  };
}

/** A winston transport: every record piped into it is emitted through `logger`. */
export class OtlpLogStream extends Writable {
  readonly #logger: () => Logger;

  constructor(logger: () => Logger) {
    super({ objectMode: true });
    this.#logger = logger;
  }

  override _write(info: WinstonRecord, _encoding: BufferEncoding, done: (error?: Error | null) => void): void {
    this.log(info, done);
  }

  /** winston calls a transport's `log(info, next)`; two parameters mark it as a stream transport. */
  log(info: WinstonRecord, next: () => void): void {
    this.#logger().emit(logRecordOf(info));
    next();
  }
}

type Configure = (this: unknown, options?: { transports?: unknown }, ...rest: unknown[]) => unknown;

/** The private method of WinstonInstrumentation 0.69.0 this replaces (it adds the sending transport). */
interface UpstreamInternals {
  _getPatchedConfigure(): (original: Configure) => Configure;
}

export class WinstonLogsInstrumentation extends WinstonInstrumentation {
  readonly #sendLogs: boolean;

  constructor(config: WinstonInstrumentationConfig & { sendLogs: boolean }) {
    const { sendLogs, ...upstream } = config;
    // Upstream's own sending stays off: it would look for @opentelemetry/winston-transport.
    super({ ...upstream, disableLogSending: true });
    this.#sendLogs = sendLogs;
    // An own property shadows the prototype's method, which the patch of winston's logger calls
    // when winston is loaded (after this constructor).
    (this as unknown as UpstreamInternals)._getPatchedConfigure = () => (original) => {
      const instrumentation = this;
      return function configure(this: unknown, options, ...rest) {
        if (instrumentation.#sendLogs && options && typeof options === "object") {
          const given = options.transports;
          const transports = Array.isArray(given) ? [...given] : given ? [given] : [];
          transports.push(new OtlpLogStream(() => instrumentation.logger));
          options.transports = transports;
        }
        return original.call(this, options, ...rest);
      };
    };
  }
}
