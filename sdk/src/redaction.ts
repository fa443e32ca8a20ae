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
  // Bare, as loggers name fields (pino's { password }) and some code names span attributes.
  "password",
  "secret",
  "api_key",
];

export const REDACTED = "[REDACTED]";

// Literal markers of credentials that carry no digit, `@` or `=` (which are counted separately).
const CREDENTIAL_MARKER =
  /[Bb]earer\s|[Bb]asic\s|BEARER\s|BASIC\s|eyJ|sk_|pk_|rk_|gh[pousr]_|github_pat_|AKIA|ASIA|xox[abposr]-|AIza|glpat-/;
// Thirteen digits, optionally separated by single spaces or dashes: the shortest card number.
const CARD_LIKE = /\d(?:[ -]?\d){12}/;
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
 * Most values hold nothing sensitive: a few cheap tests decide which patterns can match at all,
 * and only those run.
 */
export function redactString(value: string): string {
  // Separate cheap tests beat one combined regex: `includes` is a vectorised scan, and the card
  // pattern only runs on values long enough to hold one.
  const hasAt = value.includes("@");
  const hasEquals = value.includes("=");
  const marker = CREDENTIAL_MARKER.test(value);
  const cardLike = value.length >= 13 && CARD_LIKE.test(value);
  if (!hasAt && !hasEquals && !marker && !cardLike) return value;
  let out = value;
  if (hasEquals) out = out.replace(SECRET_QUERY_PARAM, `$1${REDACTED}`);
  if (marker) {
    out = out.replace(JWT, "[REDACTED:jwt]");
    out = out.replace(AUTH_SCHEME, (_m, scheme: string) => `${scheme} ${REDACTED}`);
    out = out.replace(API_KEY, "[REDACTED:api-key]");
  }
  if (hasAt) out = out.replace(EMAIL, "[REDACTED:email]");
  if (cardLike) {
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
/** Attribute keys are few and repeat on every span: their rule is decided once per key. */
const MAX_CACHED_KEYS = 10_000;

interface KeyState {
  rule: number;
  // The last value seen clean under this key. Most keys carry the same few values span after
  // span (methods, routes, host names, user agents): comparing with the last clean one skips the
  // content checks for them without keeping a growing set of values.
  lastClean: string | undefined;
}

// Integers this large can only be ids, timestamps or card numbers stored as numbers.
const SMALLEST_CARD_NUMBER = 1e12;

export class Redactor {
  readonly #isAllowed: (key: string) => boolean;
  readonly #isDenied: (key: string) => boolean;
  readonly #keys = new Map<string, KeyState>();

  constructor(options: RedactorOptions = {}) {
    this.#isAllowed = compileGlobs(options.allowKeys ?? []);
    this.#isDenied = compileGlobs([...DEFAULT_DENY_KEYS, ...(options.denyKeys ?? [])]);
  }

  #stateOf(key: string): KeyState {
    let state = this.#keys.get(key);
    if (state === undefined) {
      state = {
        rule: this.#isAllowed(key) ? KEY_ALLOWED : this.#isDenied(key) ? KEY_DENIED : KEY_CONTENT,
        lastClean: undefined,
      };
      if (this.#keys.size < MAX_CACHED_KEYS) this.#keys.set(key, state);
    }
    return state;
  }

  /** The redacted form of an attribute whose key has `state`, or undefined when it stays as it is. */
  #redactWith(state: KeyState, value: AttributeValue): AttributeValue | undefined {
    if (state.rule === KEY_ALLOWED) return undefined;
    if (state.rule === KEY_DENIED) return Array.isArray(value) ? value.map(() => REDACTED) : REDACTED;
    if (typeof value === "string") {
      if (value === state.lastClean) return undefined;
      const redacted = redactString(value);
      if (redacted === value) {
        state.lastClean = value;
        return undefined;
      }
      return redacted;
    }
    if (typeof value === "number") {
      if (!Number.isInteger(value) || Math.abs(value) < SMALLEST_CARD_NUMBER) return undefined;
      return redactString(String(value)) === String(value) ? undefined : "[REDACTED:card]";
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
      const value = attributes[key];
      if (value === undefined || value === null) continue;
      // One key lookup per attribute; the common cases (a content-checked key whose value is the
      // one last seen clean, or a number too small to be a card) end here.
      const state = this.#stateOf(key);
      if (state.rule === KEY_CONTENT) {
        if (value === state.lastClean) continue;
        if (typeof value === "number" && (Math.abs(value) < SMALLEST_CARD_NUMBER || !Number.isInteger(value))) continue;
      }
      const redacted = this.#redactWith(state, value);
      if (redacted !== undefined) {
        attributes[key] = redacted;
        changed++;
      }
    }
    return changed;
  }
}
