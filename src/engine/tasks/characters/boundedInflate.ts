import { Inflate, inflateSync, Unzlib, unzlibSync } from 'fflate';

/**
 * Inflating with a ceiling on the output, so a small crafted stream (deflate expands up to ~1032×)
 * cannot make us allocate or spend time on gigabytes.
 *
 * Small inputs inflate in one call into a buffer one byte longer than the ceiling: fflate never
 * grows a buffer it is given, so a stream that fills it has passed the ceiling. That is fast, and
 * the wasted work past the ceiling is at most ~1032 × SMALL_INPUT. Larger inputs inflate in steps
 * of STEP compressed bytes, stopping at the first step whose output passes the ceiling.
 */

const SMALL_INPUT = 16 * 1024;
const STEP = 1024;

class PastCeiling extends Error {}

/**
 * `data` inflated, or null when it inflates to more than `ceiling` bytes. Corrupt data throws
 * fflate's error. `format`: raw deflate (zip entries) or zlib (PNG image data).
 */
export function inflateAtMost(data: Uint8Array, ceiling: number, format: 'deflate' | 'zlib'): Uint8Array | null {
  if (data.length <= SMALL_INPUT) {
    const out = new Uint8Array(ceiling + 1);
    let got: Uint8Array;
    try {
      got = format === 'zlib' ? unzlibSync(data, { out }) : inflateSync(data, { out });
    } catch (e) {
      // A stored (uncompressed) block that does not fit the buffer is refused by the copy itself.
      if (e instanceof RangeError) return null;
      throw e;
    }
    return got.length > ceiling ? null : got;
  }
  const out = new Uint8Array(ceiling);
  let written = 0;
  const onData = (chunk: Uint8Array): void => {
    if (written + chunk.length > ceiling) throw new PastCeiling();
    out.set(chunk, written);
    written += chunk.length;
  };
  const inflater = format === 'zlib' ? new Unzlib(onData) : new Inflate(onData);
  try {
    for (let at = 0; at < data.length; at += STEP) inflater.push(data.subarray(at, at + STEP), at + STEP >= data.length);
  } catch (e) {
    if (e instanceof PastCeiling) return null;
    throw e;
  }
  return out.subarray(0, written);
}
