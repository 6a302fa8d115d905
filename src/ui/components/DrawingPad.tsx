import { useCallback, useEffect, useRef, useState, type ReactNode } from 'react';
import {
  drawingToImage,
  IMAGE_SIZE,
  MANN_IMAGE_SIZE,
  OMNIGLOT_CANVAS,
  OMNIGLOT_FILL,
  OMNIGLOT_PEN_WIDTH,
  type Drawing,
  type Stroke,
} from '../../engine/tasks/characters';
import type { Translate } from '../store';
import { drawInkImage, fitCanvas } from './inkImage';
import { appendPoint, drawingAt, inkSum, pointerToCanvas, pointTotal, replayTimeline, timelineDuration, undoStroke } from './strokeCapture';

/**
 * A drawing pad for handwritten characters, reusable by any lab.
 *
 * - Pointer events: mouse, pen and touch alike (`touch-action: none`, pointer capture, coalesced
 *   samples), recorded in Omniglot's stroke format: x, y on the 105×105 canvas (x = 105·u − 0.5),
 *   t in ms since the first point, a new stroke at every pen-up.
 * - Undo, clear, and replay (the strokes animated in the order and at the speed they were drawn).
 * - A live preview of exactly what a model receives: the engine's `drawingToImage` at 28×28 and
 *   20×20 (MANN), optionally centred and scaled like an Omniglot character.
 *
 * The drawing is controlled (`drawing` / `onChange`); the stroke in progress lives in a ref and is
 * painted once per animation frame, so drawing never re-renders React.
 */
export interface DrawingPadProps {
  t: Translate;
  drawing: Drawing;
  onChange: (drawing: Drawing) => void;
  centre: boolean;
  onCentreChange: (centre: boolean) => void;
  /** More buttons for the toolbar under the pad (e.g. "add as shot"). */
  children?: ReactNode;
}

const PREVIEW_SIZES = [IMAGE_SIZE, MANN_IMAGE_SIZE] as const;

export function DrawingPad({ t, drawing, onChange, centre, onCentreChange, children }: DrawingPadProps) {
  const pad = useRef<HTMLCanvasElement>(null);
  const previews = useRef<(HTMLCanvasElement | null)[]>([]);
  const previewBox = useRef<HTMLDivElement>(null);
  const live = useRef<{ stroke: Stroke; pointer: number } | null>(null);
  const latest = useRef({ drawing, centre, onChange });
  const t0 = useRef<number | null>(null);
  const frame = useRef(0);
  const replay = useRef<{ timeline: Drawing; start: number; duration: number } | null>(null);
  const [replaying, setReplaying] = useState(false);
  useEffect(() => {
    latest.current = { drawing, centre, onChange };
  });

  /** Paints the pad and the previews for what is visible now (replay frame, or drawing + live stroke). */
  const paint = useCallback(() => {
    frame.current = 0;
    const { drawing: d, centre: c } = latest.current;
    let shown: Drawing = d;
    const r = replay.current;
    if (r) {
      const elapsed = performance.now() - r.start;
      shown = drawingAt(r.timeline, elapsed);
      if (elapsed > r.duration + 400) {
        replay.current = null;
        setReplaying(false);
        shown = d;
      } else frame.current = requestAnimationFrame(paint);
    } else if (live.current) shown = [...d, live.current.stroke];
    const canvas = pad.current;
    if (canvas) {
      const side = canvas.clientWidth;
      const { ctx } = fitCanvas(canvas, side, side);
      paintPad(ctx, side, shown, c);
    }
    let ink = 0;
    PREVIEW_SIZES.forEach((size, k) => {
      const img = drawingToImage(shown, { size, centre: c });
      if (k === 0) ink = inkSum(img);
      const pc = previews.current[k];
      if (!pc) return;
      const px = pc.clientWidth;
      const { ctx } = fitCanvas(pc, px, px);
      drawInkImage(ctx, img, 0, size, 1, 0, 0, px);
    });
    const box = previewBox.current;
    if (box) {
      box.dataset.ink = ink.toFixed(2);
      box.dataset.strokes = String(shown.length);
    }
  }, []);

  const schedule = useCallback(() => {
    if (frame.current === 0) frame.current = requestAnimationFrame(paint);
  }, [paint]);

  useEffect(() => {
    schedule();
  }, [drawing, centre, schedule]);
  useEffect(() => {
    const canvas = pad.current;
    if (!canvas) return;
    const ro = new ResizeObserver(() => schedule());
    ro.observe(canvas);
    return () => {
      ro.disconnect();
      cancelAnimationFrame(frame.current);
      frame.current = 0;
    };
  }, [schedule]);
  useEffect(() => {
    if (drawing.length === 0) t0.current = null;
  }, [drawing]);

  const stopReplay = () => {
    if (!replay.current) return;
    replay.current = null;
    setReplaying(false);
    schedule();
  };

  const sample = (e: { clientX: number; clientY: number; timeStamp: number }) => {
    const l = live.current;
    const canvas = pad.current;
    if (!l || !canvas) return;
    const p = pointerToCanvas(e.clientX, e.clientY, canvas.getBoundingClientRect());
    appendPoint(l.stroke, { ...p, t: e.timeStamp - (t0.current ?? e.timeStamp) });
  };

  const onPointerDown = (e: React.PointerEvent<HTMLCanvasElement>) => {
    if (!e.isPrimary || (e.pointerType === 'mouse' && e.button !== 0) || live.current) return;
    e.preventDefault();
    stopReplay();
    e.currentTarget.setPointerCapture(e.pointerId);
    e.currentTarget.focus();
    const d = latest.current.drawing;
    if (d.length === 0 || t0.current === null) {
      // The clock runs on across strokes; after a reload it resumes a short pen-up after the last point.
      const lastT = d.length > 0 ? (d[d.length - 1].at(-1)?.t ?? 0) : -300;
      t0.current = e.timeStamp - lastT - 300;
    }
    live.current = { stroke: [], pointer: e.pointerId };
    sample(e);
    schedule();
  };
  const onPointerMove = (e: React.PointerEvent<HTMLCanvasElement>) => {
    if (!live.current || e.pointerId !== live.current.pointer) return;
    const events = e.nativeEvent.getCoalescedEvents?.() ?? [];
    if (events.length > 0) for (const ev of events) sample(ev);
    else sample(e);
    schedule();
  };
  const onPointerEnd = (e: React.PointerEvent<HTMLCanvasElement>) => {
    const l = live.current;
    if (!l || e.pointerId !== l.pointer) return;
    if (e.type === 'pointerup') sample(e);
    live.current = null;
    if (l.stroke.length > 0) latest.current.onChange([...latest.current.drawing, l.stroke]);
    schedule();
  };

  const undo = () => {
    stopReplay();
    onChange(undoStroke(drawing));
  };
  const clear = () => {
    stopReplay();
    onChange([]);
  };
  const startReplay = () => {
    if (drawing.length === 0) return;
    if (replay.current) return stopReplay();
    const timeline = replayTimeline(drawing);
    replay.current = { timeline, start: performance.now(), duration: timelineDuration(timeline) };
    setReplaying(true);
    schedule();
  };
  const onKeyDown = (e: React.KeyboardEvent) => {
    if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === 'z') {
      e.preventDefault();
      undo();
    }
  };

  const empty = drawing.length === 0;
  return (
    <div className="drawing-pad" onKeyDown={onKeyDown}>
      <div className="pad-row">
        <canvas
          ref={pad}
          className="pad"
          dir="ltr"
          tabIndex={0}
          role="img"
          aria-label={t('padLabel')}
          data-testid="drawing-pad"
          data-strokes={drawing.length}
          data-points={pointTotal(drawing)}
          onPointerDown={onPointerDown}
          onPointerMove={onPointerMove}
          onPointerUp={onPointerEnd}
          onPointerCancel={onPointerEnd}
          onLostPointerCapture={onPointerEnd}
        />
        <div className="pad-preview" ref={previewBox} data-testid="drawing-preview" dir="ltr">
          {PREVIEW_SIZES.map((size, k) => (
            <figure key={size}>
              <canvas
                ref={(el) => {
                  previews.current[k] = el;
                }}
                className={`preview preview-${size}`}
                role="img"
                aria-label={t(k === 0 ? 'padPreview28' : 'padPreview20')}
              />
              <figcaption>{t(k === 0 ? 'padPreview28' : 'padPreview20')}</figcaption>
            </figure>
          ))}
        </div>
      </div>
      <div className="buttons pad-buttons">
        <button type="button" data-testid="drawing-undo" onClick={undo} disabled={empty} title="Ctrl+Z">
          ↶ {t('padUndo')}
        </button>
        <button type="button" data-testid="drawing-clear" onClick={clear} disabled={empty}>
          {t('padClear')}
        </button>
        <button type="button" data-testid="drawing-replay" onClick={startReplay} disabled={empty} aria-pressed={replaying}>
          {replaying ? `■ ${t('padStopReplay')}` : `▶ ${t('padReplay')}`}
        </button>
        {children}
      </div>
      <label className="field check">
        <input type="checkbox" data-testid="drawing-centre" checked={centre} onChange={(e) => onCentreChange(e.target.checked)} />
        <span>{t('padCentre')}</span>
      </label>
      <p className="help">{t('padCentreHelp', { fill: Math.round(OMNIGLOT_FILL * 100) })}</p>
    </div>
  );
}

const PAD_INK = '#1d232b';

/** The pad: paper, a faint guide for Omniglot's typical character size, and the strokes at the true pen width. */
function paintPad(ctx: CanvasRenderingContext2D, side: number, drawing: Drawing, centre: boolean): void {
  const k = side / OMNIGLOT_CANVAS;
  ctx.clearRect(0, 0, side, side);
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, side, side);
  ctx.save();
  ctx.strokeStyle = '#dee2e6';
  ctx.lineWidth = 1;
  ctx.setLineDash([4, 4]);
  const box = OMNIGLOT_FILL * side;
  ctx.strokeRect((side - box) / 2, (side - box) / 2, box, box);
  if (centre) {
    ctx.beginPath();
    ctx.moveTo(side / 2, side / 2 - 6);
    ctx.lineTo(side / 2, side / 2 + 6);
    ctx.moveTo(side / 2 - 6, side / 2);
    ctx.lineTo(side / 2 + 6, side / 2);
    ctx.stroke();
  }
  ctx.restore();
  ctx.strokeStyle = PAD_INK;
  ctx.fillStyle = PAD_INK;
  ctx.lineWidth = OMNIGLOT_PEN_WIDTH * k;
  ctx.lineCap = 'round';
  ctx.lineJoin = 'round';
  for (const s of drawing) {
    if (s.length === 0) continue;
    const x = (p: { x: number }) => (p.x + 0.5) * k;
    const y = (p: { y: number }) => (p.y + 0.5) * k;
    if (s.length === 1) {
      ctx.beginPath();
      ctx.arc(x(s[0]), y(s[0]), (OMNIGLOT_PEN_WIDTH * k) / 2, 0, 2 * Math.PI);
      ctx.fill();
      continue;
    }
    ctx.beginPath();
    ctx.moveTo(x(s[0]), y(s[0]));
    for (let i = 1; i < s.length; i++) ctx.lineTo(x(s[i]), y(s[i]));
    ctx.stroke();
  }
}
