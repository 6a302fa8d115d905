import { inflateAtMost } from './boundedInflate';

/**
 * Checks a PNG from its chunks before a decoder allocates for it. A PNG's header may declare any
 * dimensions (a decoder allocates width × height × channels up front) and its image data may be a
 * small zlib stream that inflates to gigabytes (a decoder inflates all of it). Both are read here
 * with a bound: the dimensions from IHDR, and the image data inflated with a ceiling at what a
 * picture of those dimensions and that pixel format holds.
 */

const SIGNATURE = [137, 80, 78, 71, 13, 10, 26, 10];
/** Samples per pixel of each PNG colour type (grey, RGB, palette, grey + alpha, RGBA). */
const CHANNELS: Record<number, number> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 };
/** Adam7's seven passes: first column, first row, column step, row step. */
const ADAM7 = [
  [0, 0, 8, 8],
  [4, 0, 8, 8],
  [0, 4, 4, 8],
  [2, 0, 4, 4],
  [0, 2, 2, 4],
  [1, 0, 2, 2],
  [0, 1, 1, 2],
] as const;

const chunkType = (bytes: Uint8Array, at: number): string => String.fromCharCode(bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]);

/** Bytes of a PNG's inflated image data: each row's filter byte and packed samples, per pass when interlaced. */
function imageDataBytes(width: number, height: number, bitsPerPixel: number, interlaced: boolean): number {
  const rows = (w: number, h: number) => (w === 0 || h === 0 ? 0 : h * (1 + Math.ceil((w * bitsPerPixel) / 8)));
  if (!interlaced) return rows(width, height);
  return ADAM7.reduce((n, [x0, y0, dx, dy]) => n + rows(Math.ceil((width - x0) / dx), Math.ceil((height - y0) / dy)), 0);
}

/** What makes `bytes` unfit as a side × side PNG, in words, or null when it may be decoded. */
export function pngProblem(bytes: Uint8Array, side: number): string | null {
  if (bytes.length < 33 || SIGNATURE.some((b, i) => bytes[i] !== b)) return 'not a readable PNG (no PNG signature)';
  if (chunkType(bytes, 12) !== 'IHDR') return 'not a readable PNG (no IHDR header)';
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const width = view.getUint32(16);
  const height = view.getUint32(20);
  if (width !== side || height !== side) return `${width}×${height} pixels; Omniglot images are ${side}×${side}`;
  const depth = bytes[24];
  const channels = CHANNELS[bytes[25]];
  if (!channels || ![1, 2, 4, 8, 16].includes(depth)) return `not a readable PNG (bit depth ${depth}, colour type ${bytes[25]})`;
  const bound = imageDataBytes(width, height, depth * channels, bytes[28] === 1);
  const parts: Uint8Array[] = [];
  for (let at = 8; at + 8 <= bytes.length; ) {
    const length = view.getUint32(at);
    const type = chunkType(bytes, at + 4);
    if (type === 'IDAT') parts.push(bytes.subarray(at + 8, Math.min(bytes.length, at + 8 + length)));
    if (type === 'IEND') break;
    at += 12 + length;
  }
  const data = parts.length === 1 ? parts[0] : concat(parts);
  try {
    if (inflateAtMost(data, bound, 'zlib') === null) return `its image data inflates past the ${bound} bytes a ${side}×${side} image holds (a crafted file)`;
  } catch (e) {
    return `not a readable PNG (${(e as Error).message})`;
  }
  return null;
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
