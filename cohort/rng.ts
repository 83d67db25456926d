/**
 * Seeded PRNG (sfc32) with the few helpers the generator needs.
 * Deterministic across platforms: only 32-bit integer arithmetic, no Math.random / Date.now.
 */

/** FNV-1a-style 32-bit string hash, used to derive independent sub-streams from one seed. */
export function hash32(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  // final avalanche (murmur3 fmix)
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b) >>> 0;
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35) >>> 0;
  h ^= h >>> 16;
  return h >>> 0;
}

export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  /** Seed from any number of key parts, e.g. new Rng(seed, 'patient', 17). */
  constructor(...parts: Array<string | number>) {
    const key = parts.join('\u0001');
    this.a = hash32('a' + key);
    this.b = hash32('b' + key);
    this.c = hash32('c' + key);
    this.d = hash32('d' + key) | 1;
    for (let i = 0; i < 15; i++) this.u32();
  }

  u32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.u32() / 4294967296;
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  /** Integer in [lo, hi] inclusive. */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }

  uniform(lo: number, hi: number): number {
    return lo + this.next() * (hi - lo);
  }

  /** Standard normal (Box–Muller). */
  normal(mean = 0, sd = 1): number {
    let u = this.next();
    if (u < 1e-12) u = 1e-12;
    const v = this.next();
    return mean + sd * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('pick from empty list');
    return items[Math.floor(this.next() * items.length)] as T;
  }

  weighted<T>(items: readonly T[], weights: readonly number[]): T {
    let total = 0;
    for (const w of weights) total += w;
    let r = this.next() * total;
    for (let i = 0; i < items.length; i++) {
      r -= weights[i] ?? 0;
      if (r < 0) return items[i] as T;
    }
    return items[items.length - 1] as T;
  }

  shuffle<T>(items: readonly T[]): T[] {
    const out = items.slice();
    for (let i = out.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      const tmp = out[i] as T;
      out[i] = out[j] as T;
      out[j] = tmp;
    }
    return out;
  }

  /** k distinct items in random order (k clipped to length). */
  sample<T>(items: readonly T[], k: number): T[] {
    return this.shuffle(items).slice(0, Math.max(0, Math.min(k, items.length)));
  }
}

/**
 * A decision source for the regimen logic. The generator uses a sampling chooser; the
 * oracle ("knows the latent logic but not the noise") uses the modal chooser.
 */
export interface Chooser {
  chance(p: number): boolean;
  weighted<T>(items: readonly T[], weights: readonly number[]): T;
}

/**
 * Sampling chooser. `sharpness` > 1 pushes probabilities away from 0.5 (p^k / (p^k + (1-p)^k))
 * and weights towards the favourite (w^k): prescribers follow habits more than coin flips.
 */
export function samplingChooser(rng: Rng, sharpness = 1): Chooser {
  const k = sharpness;
  return {
    chance: (p) => {
      if (p <= 0) return false;
      if (p >= 1) return true;
      const a = Math.pow(p, k);
      return rng.chance(a / (a + Math.pow(1 - p, k)));
    },
    weighted: (items, weights) => rng.weighted(items, k === 1 ? weights : weights.map((w) => Math.pow(w, k))),
  };
}

export const modalChooser: Chooser = {
  chance: (p) => p >= 0.5,
  weighted<T>(items: readonly T[], weights: readonly number[]): T {
    let best = 0;
    for (let i = 1; i < items.length; i++) if ((weights[i] ?? 0) > (weights[best] ?? 0)) best = i;
    return items[best] as T;
  },
};
