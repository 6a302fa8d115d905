import { memo, useEffect, useRef, useState } from 'react';
import { LOCALES } from '../../i18n/messages';
import { useApp } from '../store';
import { drawInkImage, fitCanvas } from './inkImage';

export interface ImageGridProps {
  /** Packed [images, size, size] ink: atlas bytes (scale 1/255) or floats (scale 1). */
  pixels: ArrayLike<number>;
  scale: number;
  imageSize: number;
  /** Which images to show, in order (indices into `pixels`). */
  images: readonly number[];
  /** CSS pixels per image. */
  cell?: number;
  /** Fixed column count; default: as many as fit the width. */
  columns?: number;
  /** Position (in `images`) drawn with a highlight. */
  selected?: number | null;
  /** Per position: a colour drawn as a bar under the image (e.g. support / query). */
  marks?: readonly (string | null)[];
  onPick?: (position: number) => void;
  /** Arrow keys move the pick (default true; off where a pick changes data rather than selects). */
  arrowKeys?: boolean;
  label: string;
  testId?: string;
  /** Extra data-* attributes for tests and tools. */
  data?: Record<string, string | number>;
}

const GAP = 4;

/**
 * A grid of ink images drawn into one canvas (a click or the arrow keys pick one). In right-to-left
 * languages the grid runs from the right, like the text around it; the images themselves are never mirrored.
 */
export const ImageGrid = memo(function ImageGrid({ pixels, scale, imageSize, images, cell = 56, columns, selected = null, marks, onPick, arrowKeys = true, label, testId, data }: ImageGridProps) {
  const wrap = useRef<HTMLDivElement>(null);
  const canvas = useRef<HTMLCanvasElement>(null);
  const [width, setWidth] = useState(0);
  const rtl = useApp((st) => LOCALES[st.locale].dir === 'rtl');

  useEffect(() => {
    const el = wrap.current;
    if (!el) return;
    const ro = new ResizeObserver((entries) => setWidth(Math.floor(entries[0].contentRect.width)));
    ro.observe(el);
    return () => ro.disconnect();
  }, []);

  const fit = Math.max(1, Math.floor((width + GAP) / (cell + GAP)));
  const cols = Math.max(1, Math.min(columns ?? fit, fit, images.length || 1));
  const rows = Math.ceil(images.length / cols);
  const cssW = cols * (cell + GAP) - GAP;
  const cssH = Math.max(0, rows * (cell + GAP) - GAP);

  useEffect(() => {
    const c = canvas.current;
    if (!c || width === 0 || images.length === 0) return;
    const { ctx } = fitCanvas(c, cssW, cssH);
    ctx.clearRect(0, 0, cssW, cssH);
    images.forEach((img, p) => {
      const col = rtl ? cols - 1 - (p % cols) : p % cols;
      const x = col * (cell + GAP);
      const y = Math.floor(p / cols) * (cell + GAP);
      drawInkImage(ctx, pixels, img, imageSize, scale, x, y, cell);
      ctx.strokeStyle = '#ced4da';
      ctx.lineWidth = 1;
      ctx.strokeRect(x + 0.5, y + 0.5, cell - 1, cell - 1);
      const mark = marks?.[p];
      if (mark) {
        ctx.fillStyle = mark;
        ctx.fillRect(x, y + cell - 5, cell, 5);
      }
      if (p === selected) {
        ctx.strokeStyle = '#d9480f';
        ctx.lineWidth = 3;
        ctx.strokeRect(x + 1.5, y + 1.5, cell - 3, cell - 3);
      }
    });
  }, [pixels, scale, imageSize, images, cell, cols, cssW, cssH, selected, marks, width, rtl]);

  const pick = (clientX: number, clientY: number) => {
    const r = canvas.current?.getBoundingClientRect();
    if (!r || !onPick) return;
    const screenCol = Math.floor((clientX - r.left) / (cell + GAP));
    const col = rtl ? cols - 1 - screenCol : screenCol;
    const row = Math.floor((clientY - r.top) / (cell + GAP));
    const p = row * cols + col;
    if (col >= 0 && col < cols && p >= 0 && p < images.length) onPick(p);
  };
  const onKey = (e: React.KeyboardEvent) => {
    if (!onPick || !arrowKeys || images.length === 0) return;
    const cur = selected ?? -1;
    // Arrow keys follow the screen: in a right-to-left grid, → goes back.
    const step: Record<string, number> = { ArrowRight: rtl ? -1 : 1, ArrowLeft: rtl ? 1 : -1, ArrowDown: cols, ArrowUp: -cols };
    if (e.key in step) {
      e.preventDefault();
      onPick(Math.min(images.length - 1, Math.max(0, cur + step[e.key])));
    }
  };

  const attrs: Record<string, string | number> = {};
  for (const [k, v] of Object.entries(data ?? {})) attrs[`data-${k}`] = v;
  return (
    <div ref={wrap} className="image-grid">
      <canvas
        ref={canvas}
        style={{ width: cssW, height: cssH, display: images.length > 0 ? undefined : 'none' }}
        role="img"
        aria-label={label}
        tabIndex={onPick ? 0 : undefined}
        className={onPick ? 'pickable' : undefined}
        data-testid={testId}
        data-count={images.length}
        data-selected={selected ?? ''}
        {...attrs}
        onClick={(e) => pick(e.clientX, e.clientY)}
        onKeyDown={onKey}
      />
    </div>
  );
});
