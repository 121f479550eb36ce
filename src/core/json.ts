/** JSON-safe values: what crosses process, store and HTTP boundaries. */
export type JsonPrimitive = string | number | boolean | null;
/** A JSON-safe value. */
export type JsonValue =
  JsonPrimitive | readonly JsonValue[] | { readonly [key: string]: JsonValue };
/** A JSON-safe object. */
export type JsonObject = { readonly [key: string]: JsonValue };

/**
 * JSON.stringify with sorted keys, so equal values give equal strings (for hashing and caching).
 * @example stableStringify({ b: 1, a: 2 }) === '{"a":2,"b":1}'
 */
export function stableStringify(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === 'object' && value.constructor === Object) {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(value).sort())
      out[k] = sortKeys((value as Record<string, unknown>)[k]);
    return out;
  }
  return value;
}
