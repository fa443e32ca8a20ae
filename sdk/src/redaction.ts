// PII and secret redaction of span attribute values. Spans leave the process and are kept for
// weeks in shared storage, so anything that identifies a person or grants access is replaced
// before export: e-mail addresses, payment card numbers (only Luhn-valid ones, so order ids and
// timestamps survive), bearer/basic credentials and JWTs, well-known API key formats, and the
// values of secret-looking URL query parameters. Allow and deny lists of attribute keys override
// the content rules in either direction.
import type { Attributes, AttributeValue } from "@opentelemetry/api";
import { compileGlobs } from "./glob.ts";

export interface RedactorOptions {
  allowKeys?: readonly string[];
  denyKeys?: readonly string[];
}

/** Keys whose values are credentials by definition, whatever they look like. */
export const DEFAULT_DENY_KEYS = [
  "http.request.header.authorization",
  "http.request.header.cookie",
  "http.request.header.proxy-authorization",
  "http.request.header.x-api-key",
  "http.response.header.set-cookie",
  "*.password",
  "*.secret",
  "*.api_key",
];

export const REDACTED = "[REDACTED]";

// Literal markers of credentials that carry no digit, `@` or `=` (which are counted separately).
const CREDENTIAL_MARKER =
  /[Bb]earer\s|[Bb]asic\s|BEARER\s|BASIC\s|eyJ|sk_|pk_|rk_|gh[pousr]_|github_pat_|AKIA|ASIA|xox[abposr]-|AIza|glpat-/;
const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g;
const CARD_CANDIDATE = /\b\d(?:[ -]?\d){12,18}\b/g;
const AUTH_SCHEME = /\b(Bearer|Basic)\s+[A-Za-z0-9\-._~+/]+=*/gi;
const JWT = /\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/g;
const API_KEY =
  /\b(?:(?:sk|pk|rk)_(?:live|test)_[A-Za-z0-9]{10,}|gh[pousr]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{30,}|(?:AKIA|ASIA)[0-9A-Z]{16}|xox[abposr]-[A-Za-z0-9-]{10,}|AIza[0-9A-Za-z_-]{35}|glpat-[A-Za-z0-9_-]{20,})\b/g;
const SECRET_QUERY_PARAM =
  /((?:^|[?&;])(?:access_token|id_token|refresh_token|token|api_key|apikey|api-key|key|secret|client_secret|password|passwd|pwd|auth|code|sig|signature|session|sessionid|x-amz-signature|x-amz-credential|x-amz-security-token)=)[^&#\s]*/gi;

/** Luhn checksum over the digits of a candidate card number. */
export function isLuhnValid(digits: string): boolean {
  let sum = 0;
  let double = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = digits.charCodeAt(i) - 48;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return sum % 10 === 0;
}

/**
 * Returns the value with every sensitive part replaced, or the same string when nothing matched.
 * Most attribute values (methods, routes, status codes, host names) hold nothing sensitive, so one
 * pass over the characters decides which of the patterns can match at all and only those run.
 */
export function redactString(value: string): string {
  let digits = 0;
  let hasAt = false;
  let hasEquals = false;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c >= 48 && c <= 57) digits++;
    else if (c === 64) hasAt = true;
    else if (c === 61) hasEquals = true;
  }
  const marker = CREDENTIAL_MARKER.test(value);
  if (!marker && !hasAt && !hasEquals && digits < 13) return value;
  let out = value;
  if (hasEquals) out = out.replace(SECRET_QUERY_PARAM, `$1${REDACTED}`);
  if (marker) {
    out = out.replace(JWT, "[REDACTED:jwt]");
    out = out.replace(AUTH_SCHEME, (_m, scheme: string) => `${scheme} ${REDACTED}`);
    out = out.replace(API_KEY, "[REDACTED:api-key]");
  }
  if (hasAt) out = out.replace(EMAIL, "[REDACTED:email]");
  if (digits >= 13) {
    out = out.replace(CARD_CANDIDATE, (match) => {
      const cardDigits = match.replace(/[ -]/g, "");
      return cardDigits.length >= 13 && cardDigits.length <= 19 && isLuhnValid(cardDigits) ? "[REDACTED:card]" : match;
    });
  }
  return out;
}

const KEY_ALLOWED = 0;
const KEY_DENIED = 1;
const KEY_CONTENT = 2;
/** Attribute keys are few and repeat on every span: decide allow/deny per key once. */
const MAX_CACHED_KEYS = 10_000;

export class Redactor {
  readonly #isAllowed: (key: string) => boolean;
  readonly #isDenied: (key: string) => boolean;
  readonly #keyRule = new Map<string, number>();

  constructor(options: RedactorOptions = {}) {
    this.#isAllowed = compileGlobs(options.allowKeys ?? []);
    this.#isDenied = compileGlobs([...DEFAULT_DENY_KEYS, ...(options.denyKeys ?? [])]);
  }

  /** The redacted form of one attribute, or undefined when it is to stay as it is. */
  redactAttribute(key: string, value: AttributeValue | undefined): AttributeValue | undefined {
    if (value === undefined || value === null) return undefined;
    const rule = this.#ruleFor(key);
    if (rule === KEY_ALLOWED) return undefined;
    if (rule === KEY_DENIED) return Array.isArray(value) ? value.map(() => REDACTED) : REDACTED;
    if (typeof value === "string") {
      const redacted = redactString(value);
      return redacted === value ? undefined : redacted;
    }
    if (Array.isArray(value)) {
      let changed = false;
      const out = value.map((item) => {
        if (typeof item !== "string") return item;
        const redacted = redactString(item);
        if (redacted !== item) changed = true;
        return redacted;
      });
      return changed ? (out as AttributeValue) : undefined;
    }
    return undefined;
  }

  #ruleFor(key: string): number {
    let rule = this.#keyRule.get(key);
    if (rule === undefined) {
      rule = this.#isAllowed(key) ? KEY_ALLOWED : this.#isDenied(key) ? KEY_DENIED : KEY_CONTENT;
      if (this.#keyRule.size < MAX_CACHED_KEYS) this.#keyRule.set(key, rule);
    }
    return rule;
  }

  /** Redacts an attribute map in place; returns how many values were changed. */
  redactAttributes(attributes: Attributes): number {
    let changed = 0;
    for (const key in attributes) {
      const redacted = this.redactAttribute(key, attributes[key]);
      if (redacted !== undefined) {
        attributes[key] = redacted;
        changed++;
      }
    }
    return changed;
  }
}
