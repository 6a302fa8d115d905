/**
 * Ink images (28×28 atlas bytes or float network inputs) onto a canvas: one putImageData on a tiny
 * scratch canvas, then a nearest-neighbour scale-up. A gallery of hundreds of images is one canvas,
 * never hundreds of DOM nodes.
 */

export type Rgb = readonly [number, number, number];
export const PAPER: Rgb = [255, 255, 255];
export const INK: Rgb = [24, 28, 34];

/** Fills `out` (size·size RGBA) from ink values src[offset …] × scale in [0, 1] (1 = full ink). */
export function inkToRgba(src: ArrayLike<number>, offset: number, size: number, scale: number, out: Uint8ClampedArray, paper: Rgb = PAPER, ink: Rgb = INK): Uint8ClampedArray {
  const n = size * size;
  for (let i = 0; i < n; i++) {
    let v = src[offset + i] * scale;
    v = v < 0 ? 0 : v > 1 ? 1 : v;
    const o = 4 * i;
    out[o] = paper[0] + (ink[0] - paper[0]) * v;
    out[o + 1] = paper[1] + (ink[1] - paper[1]) * v;
    out[o + 2] = paper[2] + (ink[2] - paper[2]) * v;
    out[o + 3] = 255;
  }
  return out;
}

let scratch: HTMLCanvasElement | null = null;
let scratchData: ImageData | null = null;

/** Draws image `index` of a packed [images, size, size] array at (dx, dy), `side` pixels wide. */
export function drawInkImage(
  ctx: CanvasRenderingContext2D,
  src: ArrayLike<number>,
  index: number,
  size: number,
  scale: number,
  dx: number,
  dy: number,
  side: number,
): void {
  if (!scratch) scratch = document.createElement('canvas');
  if (scratch.width !== size || !scratchData) {
    scratch.width = size;
    scratch.height = size;
    scratchData = new ImageData(size, size);
  }
  inkToRgba(src, index * size * size, size, scale, scratchData.data);
  scratch.getContext('2d')!.putImageData(scratchData, 0, 0);
  ctx.imageSmoothingEnabled = false;
  ctx.drawImage(scratch, dx, dy, side, side);
}

/** Sizes a canvas's backing store to its CSS size × devicePixelRatio; returns the CSS size. */
export function fitCanvas(canvas: HTMLCanvasElement, cssWidth: number, cssHeight: number): { ctx: CanvasRenderingContext2D; dpr: number } {
  const dpr = Math.max(1, Math.min(3, window.devicePixelRatio || 1));
  const w = Math.max(1, Math.round(cssWidth * dpr));
  const h = Math.max(1, Math.round(cssHeight * dpr));
  if (canvas.width !== w) canvas.width = w;
  if (canvas.height !== h) canvas.height = h;
  const ctx = canvas.getContext('2d')!;
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  return { ctx, dpr };
}
