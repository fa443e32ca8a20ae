// Whether OTEL_SDK_DISABLED turns tracing off, read without loading anything else: the preloads
// ask it before they import the SDK, so a service with tracing disabled pays next to nothing at
// start-up. The rule is config.ts's (true or 1, any case, around spaces); any other value loads
// the SDK, whose configuration warns about it.
export function disabledByEnvironment(env: Record<string, string | undefined>): boolean {
  const value = env.OTEL_SDK_DISABLED?.trim().toLowerCase();
  return value === "true" || value === "1";
}
