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

// A string can only hold something we redact if it contains one of these; most attribute values
// (methods, status codes, routes, host names) fail this single test and cost nothing more.
const SUSPECT =
  /@|\d{4}|=|bearer|basic\s|eyJ|sk_|pk_|rk_|ghp_|gho_|ghs_|github_pat_|AKIA|ASIA|xox[abposr]-|AIza|glpat-/i;

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

/** Returns the value with every sensitive part replaced, or the same string when nothing matched. */
export function redactString(value: string): string {
  if (!SUSPECT.test(value)) return value;
  let out = value;
  if (out.includes("=")) out = out.replace(SECRET_QUERY_PARAM, `$1${REDACTED}`);
  if (out.includes("eyJ")) out = out.replace(JWT, "[REDACTED:jwt]");
  out = out.replace(AUTH_SCHEME, (_m, scheme: string) => `${scheme} ${REDACTED}`);
  out = out.replace(API_KEY, "[REDACTED:api-key]");
  if (out.includes("@")) out = out.replace(EMAIL, "[REDACTED:email]");
  out = out.replace(CARD_CANDIDATE, (match) => {
    const digits = match.replace(/[ -]/g, "");
    return digits.length >= 13 && digits.length <= 19 && isLuhnValid(digits) ? "[REDACTED:card]" : match;
  });
  return out;
}

export class Redactor {
  readonly #isAllowed: (key: string) => boolean;
  readonly #isDenied: (key: string) => boolean;

  constructor(options: RedactorOptions = {}) {
    this.#isAllowed = compileGlobs(options.allowKeys ?? []);
    this.#isDenied = compileGlobs([...DEFAULT_DENY_KEYS, ...(options.denyKeys ?? [])]);
  }

  /** The redacted form of one attribute, or undefined when it is to stay as it is. */
  redactAttribute(key: string, value: AttributeValue | undefined): AttributeValue | undefined {
    if (value === undefined || value === null) return undefined;
    if (this.#isAllowed(key)) return undefined;
    if (this.#isDenied(key)) return Array.isArray(value) ? value.map(() => REDACTED) : REDACTED;
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
