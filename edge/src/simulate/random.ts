/**
 * Deterministic randomness: one seed gives the same scenario on every machine. Each purpose
 * (a vital's drift, the cuff's schedule, ECG noise) draws from its own stream, so adding a
 * device or a vital does not change the numbers every other stream produces.
 */
export interface Random {
  /** Uniform in [0, 1). */
  next(): number;
  /** Normally distributed with mean 0 and the given standard deviation. */
  gaussian(sd?: number): number;
  between(min: number, max: number): number;
}

/** mulberry32: tiny, fast, and good enough for physiological noise (not for secrets). */
export function createRandom(seed: number, stream: string): Random {
  let state = (seed ^ hashString(stream)) >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const gaussian = (sd = 1): number => {
    // Box-Muller; 1 - next() keeps the logarithm finite.
    const u = 1 - next();
    const v = next();
    return sd * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  };
  return { next, gaussian, between: (min, max) => min + (max - min) * next() };
}

/** FNV-1a, to turn a stream name into seed bits. */
function hashString(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i += 1) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  return hash >>> 0;
}

/**
 * Slow physiological wander (an Ornstein-Uhlenbeck process sampled once a second): values
 * drift and return with time constant `tauSeconds` and stationary spread `sd`.
 */
export function wander(random: Random, seconds: number, sd: number, tauSeconds: number): Float64Array {
  const out = new Float64Array(seconds + 1);
  const keep = Math.exp(-1 / tauSeconds);
  const kick = sd * Math.sqrt(1 - keep * keep);
  let x = random.gaussian(sd);
  for (let i = 0; i < out.length; i += 1) {
    out[i] = x;
    x = x * keep + random.gaussian(kick);
  }
  return out;
}
