// The attributes of an HTTP server span, for the requests nearly every service receives, without
// the WHATWG URL parser. The upstream http instrumentation parses every request target with
// `new URL()` and re-serializes the query through URLSearchParams, the largest part of its
// attribute work. For a target whose path and query both parsers would leave unchanged, and a Host
// header they accept, slicing the string gives the same `url.path` and `url.query`; for anything
// else (proxy headers, IPv6 hosts, dot segments, characters either parser would encode, queries
// with a key to redact, unusual methods) `leanServerAttributes` returns undefined and the caller
// hands the request to the upstream code. Keys, values and insertion order are the upstream's
// (getIncomingRequestAttributes in @opentelemetry/instrumentation-http 0.300.0), checked request
// by request by test/http-conformance.int.test.ts.
import type { IncomingMessage } from "node:http";
import type { Attributes } from "@opentelemetry/api";

/** Methods semantic conventions know: the upstream keeps them as they are, names others `_OTHER`. */
const KNOWN_METHODS = new Set([
  "GET",
  "HEAD",
  "POST",
  "PUT",
  "DELETE",
  "CONNECT",
  "OPTIONS",
  "TRACE",
  "PATCH",
  "QUERY",
]);
// Characters the URL parser leaves unchanged in a path (no percent-encoding, no `\` → `/`), and a
// path starting with a dot segment candidate (".", "..", "%2e…") that it would resolve.
const PLAIN_PATH = /^\/(?!\/)[A-Za-z0-9\-._~!$&'()*+,;=:@%/]*$/;
const DOT_SEGMENT = /\/(?:\.|%2e)/i;
// k=v pairs of characters URLSearchParams serializes as themselves (form-urlencoded: alphanumerics
// and *-._); a key without "=", an empty pair or any other character is re-encoded by it.
const PLAIN_QUERY = /^[A-Za-z0-9*\-._]+=[A-Za-z0-9*\-._]*(?:&[A-Za-z0-9*\-._]+=[A-Za-z0-9*\-._]*)*$/;
const PLAIN_QUERY_KEY = /(?:^|&)([^=&]+)=/g;
// A Host header of a name or IPv4 address and an optional port, as parseHostHeader splits it.
const PLAIN_HOST = /^([A-Za-z0-9\-._~]+)(?::(\d{1,5}))?$/;

/** A Host header as the server attributes take it: the name or address, and the port. */
interface Host {
  address: string;
  port: number;
}

// What a Host header gives, or null when the fast path does not take it: it must look plain, and
// the URL parser must accept it as the base of the request's URL (it rejects some that look
// plain: an out-of-range port, "1.2.3.999" or "a.0x1g" read as IPv4, bad punycode). Worked out
// once per distinct header and scheme (a service sees a handful) and looked up by the header
// itself: a key made per request (the scheme and the header joined) was a string to build, then
// flatten and hash, on every request.
const hosts = { http: new Map<string, Host | null>(), https: new Map<string, Host | null>() };
const MAX_HOSTS = 256;
function plainHost(component: "http" | "https", host: string): Host | null {
  const known = hosts[component];
  let found = known.get(host);
  if (found === undefined) {
    const parts = PLAIN_HOST.exec(host);
    found =
      parts !== null && URL.canParse(`${component}://${host}`)
        ? { address: parts[1] as string, port: Number(parts[2] ?? (component === "https" ? "443" : "80")) }
        : null;
    if (known.size >= MAX_HOSTS) known.clear();
    known.set(host, found);
  }
  return found;
}

/** Whether a plain query carries one of the keys the instrumentation must redact. */
function hasRedactedKey(query: string, redacted: ReadonlySet<string>): boolean {
  PLAIN_QUERY_KEY.lastIndex = 0;
  for (let m = PLAIN_QUERY_KEY.exec(query); m !== null; m = PLAIN_QUERY_KEY.exec(query))
    if (redacted.has(m[1] as string)) return true;
  return false;
}

/**
 * The HTTP server span's start attributes, equal to the upstream's, or undefined when the request
 * is not one this fast path covers (the caller then uses the upstream code).
 */
export function leanServerAttributes(
  request: IncomingMessage,
  component: "http" | "https",
  redactedQueryParams: ReadonlySet<string>,
): Attributes | undefined {
  const { headers, method, url } = request;
  if (method === undefined || !KNOWN_METHODS.has(method) || url === undefined) return undefined;
  if (headers.forwarded !== undefined || headers["x-forwarded-host"] !== undefined) return undefined;
  if (headers["x-forwarded-for"] !== undefined) return undefined;
  const q = url.indexOf("?");
  const path = q < 0 ? url : url.slice(0, q);
  const query = q < 0 ? "" : url.slice(q + 1);
  if (!PLAIN_PATH.test(path) || DOT_SEGMENT.test(path)) return undefined;
  if (query !== "" && (!PLAIN_QUERY.test(query) || hasRedactedKey(query, redactedQueryParams))) return undefined;
  const host = headers.host;
  let serverAddress: string | undefined;
  let serverPort: number | undefined;
  if (host !== undefined && host !== "") {
    const plain = plainHost(component, host);
    if (plain === null) return undefined;
    serverAddress = plain.address;
    serverPort = plain.port;
  }
  const socket = request.socket;
  const attributes: Attributes = {
    "http.request.method": method,
    "url.scheme": component,
    "server.address": serverAddress,
    "network.peer.address": socket.remoteAddress,
    "network.peer.port": socket.remotePort,
    "network.protocol.version": request.httpVersion,
    "user_agent.original": headers["user-agent"],
  };
  attributes["url.path"] = path;
  if (query !== "") attributes["url.query"] = query;
  const clientAddress = socket.remoteAddress;
  if (clientAddress) attributes["client.address"] = clientAddress;
  if (serverPort !== undefined) attributes["server.port"] = serverPort;
  return attributes;
}
