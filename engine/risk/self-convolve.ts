/**
 * The distribution of A + B for A, B independent with the same probabilities `g` on a grid (the
 * convolution g * g, length 2n − 1), through the fast Fourier transform: iterative radix-2
 * Cooley–Tukey with directly computed twiddles; rounding leaves errors of order 1e-16 × n, and the
 * tiny negative values this can give are set to 0.
 * Reference: W. H. Press et al., "Numerical Recipes" (3rd ed., 2007), §12.2 (FFT), §13.1 (convolution).
 * @example selfConvolve(Float64Array.of(0.5, 0.5)) // ≈ [0.25, 0.5, 0.25]
 */

function fft(re: Float64Array, im: Float64Array, inverse: boolean): void {
  const n = re.length;
  for (let i = 1, j = 0; i < n; i++) {
    let bit = n >> 1;
    for (; j & bit; bit >>= 1) j ^= bit;
    j ^= bit;
    if (i < j) {
      let t = re[i]; re[i] = re[j]; re[j] = t;
      t = im[i]; im[i] = im[j]; im[j] = t;
    }
  }
  const cos = new Float64Array(n / 2);
  const sin = new Float64Array(n / 2);
  const sign = inverse ? 1 : -1;
  for (let k = 0; k < n / 2; k++) {
    cos[k] = Math.cos((2 * Math.PI * k) / n);
    sin[k] = sign * Math.sin((2 * Math.PI * k) / n);
  }
  for (let len = 2; len <= n; len <<= 1) {
    const half = len >> 1;
    const stride = n / len;
    for (let i = 0; i < n; i += len) {
      for (let j = 0; j < half; j++) {
        const wr = cos[j * stride];
        const wi = sin[j * stride];
        const a = i + j;
        const b = a + half;
        const xr = re[b] * wr - im[b] * wi;
        const xi = re[b] * wi + im[b] * wr;
        re[b] = re[a] - xr;
        im[b] = im[a] - xi;
        re[a] += xr;
        im[a] += xi;
      }
    }
  }
}

export function selfConvolve(g: Float64Array): Float64Array {
  const m = 2 * g.length - 1;
  let n = 1;
  while (n < m) n <<= 1;
  const re = new Float64Array(n);
  const im = new Float64Array(n);
  re.set(g);
  fft(re, im, false);
  for (let i = 0; i < n; i++) {
    const r = re[i];
    const q = im[i];
    re[i] = r * r - q * q;
    im[i] = 2 * r * q;
  }
  fft(re, im, true);
  const out = new Float64Array(m);
  for (let i = 0; i < m; i++) out[i] = Math.max(re[i] / n, 0);
  return out;
}
