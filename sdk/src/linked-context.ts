// A Context that stores each value in a link to its parent instead of a copy of the parent's
// values. The API's own implementation (ROOT_CONTEXT and everything derived from it) copies its
// whole Map on every setValue and makes three closures per context; a traced request derives
// several contexts (the extracted parent, the server span, the route's RPC metadata, each
// framework layer's span), each of which paid for a Map copy and the closures, and the garbage
// collector for both. Here setValue allocates one small object, and getValue walks up the chain,
// which is short: a request's context is a handful of links deep, and a chain longer than
// MAX_LINKS is folded into one Map-backed context so that no lookup walks far.
//
// The contract is the API's Context interface, nothing more: getValue sees the most recent
// setValue or deleteValue of a key along the chain, and each call returns a new context, leaving
// its receiver unchanged. test/linked-context.test.ts runs random sequences of operations through
// this and through ROOT_CONTEXT and compares every value.
import type { Context } from "@opentelemetry/api";

/** Marks a key deleteValue removed, so that the walk stops there and reports no value. */
const DELETED: unique symbol = Symbol("deleted");
/** Beyond this many links, setValue folds the chain into one Map. */
const MAX_LINKS = 16;

export class LinkedContext implements Context {
  readonly #parent: LinkedContext | undefined;
  readonly #key: symbol | undefined;
  readonly #value: unknown;
  /** Links from here to the nearest Map-backed context (0 for that context itself). */
  readonly #links: number;
  /** Every value, for a folded chain (and the empty root); undefined for a link. */
  readonly #values: ReadonlyMap<symbol, unknown> | undefined;

  private constructor(
    parent: LinkedContext | undefined,
    key: symbol | undefined,
    value: unknown,
    values: ReadonlyMap<symbol, unknown> | undefined,
  ) {
    this.#parent = parent;
    this.#key = key;
    this.#value = value;
    this.#links = parent === undefined ? 0 : parent.#links + 1;
    this.#values = values;
  }

  /** A context with no values, to derive from in place of ROOT_CONTEXT. */
  static empty(): LinkedContext {
    return new LinkedContext(undefined, undefined, undefined, new Map());
  }

  getValue(key: symbol): unknown {
    for (let context: LinkedContext | undefined = this; context !== undefined; context = context.#parent) {
      if (context.#values !== undefined) return context.#values.get(key);
      if (context.#key === key) return context.#value === DELETED ? undefined : context.#value;
    }
    return undefined;
  }

  setValue(key: symbol, value: unknown): Context {
    if (this.#links >= MAX_LINKS) return LinkedContext.#folded(this, key, value);
    return new LinkedContext(this, key, value, undefined);
  }

  deleteValue(key: symbol): Context {
    if (this.#links >= MAX_LINKS) return LinkedContext.#folded(this, key, DELETED);
    return new LinkedContext(this, key, DELETED, undefined);
  }

  /** One Map-backed context with every value of `context`'s chain, and `key` set (or deleted). */
  static #folded(context: LinkedContext, key: symbol, value: unknown): LinkedContext {
    const chain: LinkedContext[] = [];
    let base: LinkedContext | undefined = context;
    while (base !== undefined && base.#values === undefined) {
      chain.push(base);
      base = base.#parent;
    }
    // The walk ends at a Map-backed context: every chain starts from one.
    const values = new Map((base as LinkedContext).#values);
    // Oldest link first, so that the newest value of a key wins.
    for (let i = chain.length - 1; i >= 0; i--) {
      const link = chain[i] as LinkedContext;
      if (link.#value === DELETED) values.delete(link.#key as symbol);
      else values.set(link.#key as symbol, link.#value);
    }
    if (value === DELETED) values.delete(key);
    else values.set(key, value);
    return new LinkedContext(undefined, undefined, undefined, values);
  }
}
