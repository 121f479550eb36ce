import type { JsonValue } from '../../core/json.js';
import { corrupt, decodeF64, encodeArray } from './serialize.js';

/** A user or item id: a number (ids, codes) or a string (names). */
export type Id = number | string;

/**
 * Maps arbitrary ids (numbers or strings) to dense indices 0..n-1 in order of first appearance.
 * Serializable as the list of ids.
 */
export class IdMap {
  private readonly index = new Map<Id, number>();
  private readonly list: Id[] = [];

  /** Rebuilds a map from its id list (index i = ids[i]). */
  static fromIds(ids: ArrayLike<Id>): IdMap {
    const m = new IdMap();
    for (let i = 0; i < ids.length; i++) m.add(ids[i]!);
    return m;
  }

  /** Restores a map from {@link IdMap.toJSON}'s output; DATA_INVALID naming `where` if corrupt. */
  static fromJSON(v: unknown, where: string): IdMap {
    if (Array.isArray(v)) {
      if (!v.every((x) => typeof x === 'string' || typeof x === 'number'))
        throw corrupt(`${where}: ids must be strings or numbers`);
      return IdMap.fromIds(v as Id[]);
    }
    return IdMap.fromIds(decodeF64(v, where));
  }

  /** Number of distinct ids. */
  get size(): number {
    return this.list.length;
  }

  /** The index of `id`, adding it if new. */
  add(id: Id): number {
    let i = this.index.get(id);
    if (i === undefined) {
      i = this.list.length;
      this.index.set(id, i);
      this.list.push(id);
    }
    return i;
  }

  /** The index of `id`, or -1 if unknown. */
  get(id: Id): number {
    return this.index.get(id) ?? -1;
  }

  /** JSON-safe: an encoded float64 array when every id is a number, else the id list. */
  toJSON(): JsonValue {
    return this.list.every((x) => typeof x === 'number')
      ? encodeArray(Float64Array.from(this.list as number[]))
      : [...this.list];
  }
}
