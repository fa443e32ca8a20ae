// Redaction: each kind of sensitive value is replaced, look-alikes that are not sensitive stay
// (Luhn-invalid numbers, ordinary query parameters), and the allow and deny lists win.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { isLuhnValid, REDACTED, Redactor, redactString } from "../src/redaction.ts";

test("e-mail addresses", () => {
  assert.is(redactString("sent to jane.doe+x@mail.example.co.uk today"), "sent to [REDACTED:email] today");
  assert.is(redactString("@handle and user@localhost"), "@handle and user@localhost");
});

test("card numbers only when the Luhn check passes", () => {
  assert.ok(isLuhnValid("4111111111111111"));
  assert.not.ok(isLuhnValid("4111111111111112"));
  assert.is(redactString("card 4111 1111 1111 1111"), "card [REDACTED:card]");
  assert.is(redactString("card 5500-0000-0000-0004"), "card [REDACTED:card]");
  assert.is(redactString("order 4111111111111112"), "order 4111111111111112");
  assert.is(redactString("ts 1732521600000"), "ts 1732521600000");
});

test("bearer and basic credentials, JWTs and API keys", () => {
  assert.is(redactString("Bearer abc.DEF_123-xyz"), `Bearer ${REDACTED}`);
  assert.is(redactString("basic dXNlcjpwYXNz"), `basic ${REDACTED}`);
  assert.is(redactString("jwt=eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl"), "jwt=[REDACTED:jwt]");
  assert.is(redactString("stripe sk_live_4eC39HqLyjWDarjtT1zdp7dc"), "stripe [REDACTED:api-key]");
  assert.is(redactString("aws AKIAIOSFODNN7EXAMPLE"), "aws [REDACTED:api-key]");
  assert.is(redactString("gh ghp_abcdefghijklmnopqrstuvwxyz0123456789"), "gh [REDACTED:api-key]");
});

test("secret query parameters in URLs and bare query strings; others untouched", () => {
  assert.is(
    redactString("https://api.example/cb?code=abc&state=ok&access_token=t0k#frag"),
    `https://api.example/cb?code=${REDACTED}&state=ok&access_token=${REDACTED}#frag`,
  );
  assert.is(redactString("password=hunter2&page=2"), `password=${REDACTED}&page=2`);
  assert.is(redactString("https://api.example/search?q=shoes&page=2"), "https://api.example/search?q=shoes&page=2");
});

test("ordinary values are returned as the same string", () => {
  for (const value of ["GET /users/:id", "200", "checkout-service", "2026-11-25T08:00:00Z", ""]) {
    assert.is(redactString(value), value);
  }
});

test("Redactor: deny list replaces whole values, allow list keeps them, arrays are covered", () => {
  const redactor = new Redactor({ allowKeys: ["user.contact_email"], denyKeys: ["app.session_*"] });
  const attributes = {
    "user.contact_email": "ops@example.com",
    "app.session_cookie": "plain-looking",
    "http.request.header.authorization": ["Bearer x"],
    "db.password": "pw",
    "messaging.recipients": ["a@example.com", "ok"],
    "http.response.status_code": 200,
  };
  assert.is(redactor.redactAttributes(attributes), 4);
  assert.equal(attributes, {
    "user.contact_email": "ops@example.com",
    "app.session_cookie": REDACTED,
    "http.request.header.authorization": [REDACTED],
    "db.password": REDACTED,
    "messaging.recipients": ["[REDACTED:email]", "ok"],
    "http.response.status_code": 200,
  });
});

test("Redactor: card numbers stored as numbers; other numbers untouched", () => {
  const redactor = new Redactor();
  const attributes = { "payment.pan": 4111111111111111, "order.id": 4111111111111112, count: 3, ratio: 0.5 };
  assert.is(redactor.redactAttributes(attributes), 1);
  assert.equal(attributes, { "payment.pan": "[REDACTED:card]", "order.id": 4111111111111112, count: 3, ratio: 0.5 });
});

test("Redactor: a value seen clean under a key is not rechecked, a new value under it is", () => {
  const redactor = new Redactor();
  const first = { note: "hello" };
  redactor.redactAttributes(first);
  const second = { note: "mail me at a@example.com" };
  assert.is(redactor.redactAttributes(second), 1);
  assert.is(second.note, "mail me at [REDACTED:email]");
});

test.run();
