/**
 * Rational-ratio polyphase resampler with a Kaiser-windowed sinc low-pass (the method of
 * libsamplerate/sox "high quality", without their adaptivity). For an input rate fIn and output
 * rate fOut = fIn * L / M, output sample n sits at input time n*M/L; its value is the input
 * convolved with the sinc evaluated at that fractional offset. Because the offset takes only L
 * distinct values, the L filter phases are tabulated once per rate pair.
 *
 * Cutoff: 0.9 x the lower of the two Nyquist frequencies (7.2 kHz when going to 16 kHz), so the
 * transition band ends below the output Nyquist and nothing above it folds back (aliasing).
 * 32 zero crossings each side and Kaiser beta 8.6 give about 80 dB stop-band attenuation.
 */
const CUTOFF_FRACTION = 0.9;
const ZERO_CROSSINGS = 32;
const KAISER_BETA = 8.6;

interface PolyphaseFilter {
  up: number;
  down: number;
  /** Taps per phase; tap j of a phase multiplies input sample floor(t) - halfTaps + 1 + j. */
  taps: number;
  halfTaps: number;
  /** up x taps coefficients, each phase normalised to unity gain at DC. */
  coefficients: Float64Array;
}

const filters = new Map<string, PolyphaseFilter>();

export function resample(input: Float32Array, fromRate: number, toRate: number): Float32Array {
  if (fromRate === toRate) return input.slice();
  const filter = filterFor(fromRate, toRate);
  const outputLength = Math.ceil((input.length * filter.up) / filter.down);
  const output = new Float32Array(outputLength);
  for (let n = 0; n < outputLength; n++) {
    const position = n * filter.down;
    const phase = position % filter.up;
    const start = (position - phase) / filter.up - filter.halfTaps + 1;
    output[n] = convolve(input, start, filter.coefficients, phase * filter.taps, filter.taps);
  }
  return output;
}

function convolve(input: Float32Array, start: number, coefficients: Float64Array, offset: number, taps: number): number {
  const first = Math.max(0, -start);
  const last = Math.min(taps, input.length - start);
  let sum = 0;
  for (let j = first; j < last; j++) sum += input[start + j]! * coefficients[offset + j]!;
  return sum;
}

function filterFor(fromRate: number, toRate: number): PolyphaseFilter {
  const key = `${fromRate}:${toRate}`;
  let filter = filters.get(key);
  if (!filter) {
    filter = designFilter(fromRate, toRate);
    filters.set(key, filter);
  }
  return filter;
}

function designFilter(fromRate: number, toRate: number): PolyphaseFilter {
  const divisor = gcd(fromRate, toRate);
  const up = toRate / divisor;
  const down = fromRate / divisor;
  // Cutoff as a fraction of the input Nyquist frequency.
  const cutoff = CUTOFF_FRACTION * Math.min(1, toRate / fromRate);
  const halfTaps = Math.ceil(ZERO_CROSSINGS / cutoff);
  const taps = 2 * halfTaps;
  const coefficients = new Float64Array(up * taps);
  for (let phase = 0; phase < up; phase++) {
    const row = coefficients.subarray(phase * taps, (phase + 1) * taps);
    const fraction = phase / up;
    let sum = 0;
    for (let j = 0; j < taps; j++) {
      const offset = j - halfTaps + 1 - fraction;
      row[j] = cutoff * sinc(cutoff * offset) * kaiser(offset / halfTaps);
      sum += row[j]!;
    }
    for (let j = 0; j < taps; j++) row[j] = row[j]! / sum;
  }
  return { up, down, taps, halfTaps, coefficients };
}

function sinc(x: number): number {
  if (x === 0) return 1;
  return Math.sin(Math.PI * x) / (Math.PI * x);
}

/** Kaiser window at x in [-1, 1] (zero outside). */
function kaiser(x: number): number {
  if (Math.abs(x) > 1) return 0;
  return besselI0(KAISER_BETA * Math.sqrt(1 - x * x)) / besselI0(KAISER_BETA);
}

/** Modified Bessel function of the first kind, order 0, by its power series (converges fast for beta < 20). */
function besselI0(x: number): number {
  let sum = 1;
  let term = 1;
  const quarterSquare = (x * x) / 4;
  for (let k = 1; k < 50 && term > sum * 1e-17; k++) {
    term *= quarterSquare / (k * k);
    sum += term;
  }
  return sum;
}

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}
