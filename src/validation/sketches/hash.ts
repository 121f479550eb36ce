/** Fast non-cryptographic 32-bit hashes (MurmurHash3 finalizer based) for sketches. */

/** MurmurHash3's 32-bit finalizer: a good bit mixer. */
export function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** A 32-bit hash of a string's UTF-16 code units with a seed. */
export function hashString(s: string, seed: number): number {
  let h = seed ^ 0x9747b28c;
  for (let i = 0; i < s.length; i++) {
    let k = s.charCodeAt(i);
    k = Math.imul(k, 0xcc9e2d51);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, 0x1b873593);
    h ^= k;
    h = (h << 13) | (h >>> 19);
    h = (Math.imul(h, 5) + 0xe6546b64) | 0;
  }
  return fmix32(h ^ s.length);
}

const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);

/** A 32-bit hash of a double's bit pattern (0 and -0 hash alike) with a seed. */
export function hashNumber(x: number, seed: number): number {
  f64[0] = x === 0 ? 0 : x;
  return fmix32(
    fmix32((u32[0] as number) ^ seed) ^ Math.imul((u32[1] as number) + seed, 0x9e3779b1),
  );
}

/** Combines a running hash with another 32-bit value (order matters). */
export function hashCombine(h: number, v: number): number {
  return fmix32(Math.imul(h ^ 0x27d4eb2f, 0x165667b1) + v);
}
