// The environment for a child process that tracing must not configure by itself.

/**
 * The environment of this process minus every OTEL_* and GL_* variable (the two prefixes the SDK
 * reads its settings from), for a child that must be configured by the caller alone (a traced
 * fixture service, a benchmark's server).
 */
export function untracedEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(OTEL_|GL_)/.test(k)));
}
