/**
 * Discrete Fourier transform of any length, in place on separate real/imaginary arrays. No installed
 * dependency provides one. Powers of two use iterative radix-2; other lengths (the usual 400-point
 * speech window) use Bluestein's chirp-z algorithm, so the result is the exact N-point DFT, the same
 * bins as torch.stft/librosa, rather than a zero-padded 512-point approximation.
 */
export class Fft {
  private readonly plan: Radix2 | Bluestein;

  constructor(readonly size: number) {
    if (!Number.isInteger(size) || size < 1) throw new RangeError('FFT size must be a positive integer');
    this.plan = isPowerOfTwo(size) ? new Radix2(size) : new Bluestein(size);
  }

  /** X[k] = sum_n x[n] e^(-2 pi i k n / N), overwriting re/im. */
  forward(re: Float64Array, im: Float64Array): void {
    this.plan.transform(re, im);
  }
}

class Radix2 {
  private readonly cos: Float64Array;
  private readonly sin: Float64Array;
  private readonly reversed: Uint32Array;

  constructor(private readonly size: number) {
    this.cos = new Float64Array(size / 2);
    this.sin = new Float64Array(size / 2);
    for (let k = 0; k < size / 2; k++) {
      this.cos[k] = Math.cos((2 * Math.PI * k) / size);
      this.sin[k] = -Math.sin((2 * Math.PI * k) / size);
    }
    this.reversed = bitReversal(size);
  }

  transform(re: Float64Array, im: Float64Array): void {
    this.permute(re, im);
    for (let span = 2; span <= this.size; span *= 2) {
      const half = span / 2;
      const stride = this.size / span;
      for (let start = 0; start < this.size; start += span) {
        for (let k = 0; k < half; k++) {
          const wr = this.cos[k * stride]!;
          const wi = this.sin[k * stride]!;
          const a = start + k;
          const b = a + half;
          const tr = re[b]! * wr - im[b]! * wi;
          const ti = re[b]! * wi + im[b]! * wr;
          re[b] = re[a]! - tr;
          im[b] = im[a]! - ti;
          re[a] = re[a]! + tr;
          im[a] = im[a]! + ti;
        }
      }
    }
  }

  /** Inverse DFT scaled by 1/N, through the conjugate symmetry of the forward transform. */
  inverse(re: Float64Array, im: Float64Array): void {
    for (let k = 0; k < this.size; k++) im[k] = -im[k]!;
    this.transform(re, im);
    for (let k = 0; k < this.size; k++) {
      re[k] = re[k]! / this.size;
      im[k] = -im[k]! / this.size;
    }
  }

  private permute(re: Float64Array, im: Float64Array): void {
    for (let k = 0; k < this.size; k++) {
      const j = this.reversed[k]!;
      if (j <= k) continue;
      const r = re[k]!;
      re[k] = re[j]!;
      re[j] = r;
      const i = im[k]!;
      im[k] = im[j]!;
      im[j] = i;
    }
  }
}

/** X[k] = w[k] * sum_n (x[n] w[n]) conj(w[k-n]) with w[n] = e^(-i pi n^2 / N): a convolution done by radix-2. */
class Bluestein {
  private readonly inner: Radix2;
  private readonly chirpRe: Float64Array;
  private readonly chirpIm: Float64Array;
  private readonly kernelRe: Float64Array;
  private readonly kernelIm: Float64Array;
  private readonly workRe: Float64Array;
  private readonly workIm: Float64Array;

  constructor(private readonly size: number) {
    let padded = 1;
    while (padded < 2 * size - 1) padded *= 2;
    this.inner = new Radix2(padded);
    this.chirpRe = new Float64Array(size);
    this.chirpIm = new Float64Array(size);
    for (let n = 0; n < size; n++) {
      // n^2 mod 2N keeps the angle small, so precision does not decay for large n.
      const angle = (Math.PI * ((n * n) % (2 * size))) / size;
      this.chirpRe[n] = Math.cos(angle);
      this.chirpIm[n] = -Math.sin(angle);
    }
    this.kernelRe = new Float64Array(padded);
    this.kernelIm = new Float64Array(padded);
    for (let n = 0; n < size; n++) {
      this.kernelRe[n] = this.chirpRe[n]!;
      this.kernelIm[n] = -this.chirpIm[n]!;
      if (n > 0) {
        this.kernelRe[padded - n] = this.chirpRe[n]!;
        this.kernelIm[padded - n] = -this.chirpIm[n]!;
      }
    }
    this.inner.transform(this.kernelRe, this.kernelIm);
    this.workRe = new Float64Array(padded);
    this.workIm = new Float64Array(padded);
  }

  transform(re: Float64Array, im: Float64Array): void {
    const { workRe, workIm, chirpRe, chirpIm } = this;
    workRe.fill(0);
    workIm.fill(0);
    for (let n = 0; n < this.size; n++) {
      workRe[n] = re[n]! * chirpRe[n]! - im[n]! * chirpIm[n]!;
      workIm[n] = re[n]! * chirpIm[n]! + im[n]! * chirpRe[n]!;
    }
    this.inner.transform(workRe, workIm);
    for (let k = 0; k < workRe.length; k++) {
      const r = workRe[k]! * this.kernelRe[k]! - workIm[k]! * this.kernelIm[k]!;
      workIm[k] = workRe[k]! * this.kernelIm[k]! + workIm[k]! * this.kernelRe[k]!;
      workRe[k] = r;
    }
    this.inner.inverse(workRe, workIm);
    for (let k = 0; k < this.size; k++) {
      re[k] = workRe[k]! * chirpRe[k]! - workIm[k]! * chirpIm[k]!;
      im[k] = workRe[k]! * chirpIm[k]! + workIm[k]! * chirpRe[k]!;
    }
  }
}

function isPowerOfTwo(n: number): boolean {
  return (n & (n - 1)) === 0;
}

function bitReversal(size: number): Uint32Array {
  const bits = Math.log2(size);
  const table = new Uint32Array(size);
  for (let k = 0; k < size; k++) {
    let r = 0;
    for (let b = 0; b < bits; b++) r |= ((k >> b) & 1) << (bits - 1 - b);
    table[k] = r;
  }
  return table;
}
