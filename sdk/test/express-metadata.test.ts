// MetadataCache (src/express-instrumentation.ts) gives each layer the span name and express.name
// upstream's getLayerMetadata would work out, while remembering the last one: whatever changes
// between calls (the route, whether the layer matched a path, its name, a router's routes) must
// change the answer as it would upstream's. test/express-conformance.int.test.ts compares whole
// spans with upstream's on real applications; this drives one layer through every change.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { type Layer, MetadataCache } from "../src/express-instrumentation.ts";

const handle = Object.assign(() => undefined, {});

test("a request handler: by route, and by whether the layer matched a path", () => {
  const cache = new MetadataCache();
  const layer: Layer = { name: "handle", path: "/users/1", handle };
  const first = cache.of("request_handler", "/users/:id", layer, "/users/:id");
  assert.equal(first, { name: "request handler - /users/:id", expressName: "/users/:id" });
  assert.is(cache.of("request_handler", "/users/:id", layer, "/users/:id"), first, "the same route: remembered");
  assert.equal(cache.of("request_handler", "/v2/users/:id", layer, "/users/:id"), {
    name: "request handler - /v2/users/:id",
    expressName: "/v2/users/:id",
  });
  layer.path = "";
  assert.equal(cache.of("request_handler", "/v2/users/:id", layer, "/users/:id"), {
    name: "request handler",
    expressName: "/v2/users/:id",
  });
  layer.path = "/users/2";
  assert.equal(cache.of("request_handler", "", layer, "/users/:id"), {
    name: "request handler - /users/:id",
    expressName: "/users/:id",
  });
});

test("middleware by its name; a new name (and with it the type) is worked out again", () => {
  const cache = new MetadataCache();
  const layer: Layer = { name: "jsonParser", handle };
  assert.equal(cache.of("middleware", "/api", layer, undefined), {
    name: "middleware - jsonParser",
    expressName: "jsonParser",
  });
  layer.name = "renamed";
  assert.equal(cache.of("middleware", "/api", layer, undefined), {
    name: "middleware - renamed",
    expressName: "renamed",
  });
  // The type follows the name (upstream's layer type: "handle" is a request handler).
  layer.name = "handle";
  assert.equal(cache.of("request_handler", "/api", layer, "/api"), { name: "request handler", expressName: "/api" });
});

test("a router is worked out every time: the routes under it can change", () => {
  const cache = new MetadataCache();
  const route: Layer = { name: "handle", route: { path: "/items" }, handle };
  const layer: Layer = { name: "router", handle: Object.assign(() => undefined, { stack: [route] }) };
  assert.equal(cache.of("router", "/v1", layer, "/v1"), { name: "router - /items", expressName: "/items" });
  (route.route as { path: string }).path = "/things";
  assert.equal(cache.of("router", "/v1", layer, "/v1"), { name: "router - /things", expressName: "/things" });
});

test.run();
