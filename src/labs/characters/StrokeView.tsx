import { memo, useEffect, useMemo, useRef, useState } from 'react';
import { OMNIGLOT_CANVAS, OMNIGLOT_PEN_WIDTH, type CharacterParse, type Drawing } from '../../engine/tasks/characters';
import { drawingAt, replayTimeline, timelineDuration } from '../../ui/components/strokeCapture';
import { STROKE_COLOURS } from './bpl';

export interface StrokeViewProps {
  drawing: Drawing;
  /** When given, sub-stroke boundaries and numbered stroke starts are marked. */
  parse?: CharacterParse | null;
  /** One colour per stroke (else ink). */
  coloured?: boolean;
  penWidth?: number;
  /** Changing this number replays the drawing from its first point. */
  play?: number;
  label: string;
  testId?: string;
  className?: string;
}

function pathOf(points: { x: number; y: number }[]): string {
  if (points.length === 0) return '';
  if (points.length === 1) return `M${points[0].x.toFixed(2)},${points[0].y.toFixed(2)}h0.01`;
  return points.map((p, i) => `${i ? 'L' : 'M'}${p.x.toFixed(2)},${p.y.toFixed(2)}`).join('');
}

/** A drawing as SVG on the 105×105 canvas, optionally with its parse, replayable stroke by stroke. */
export const StrokeView = memo(function StrokeView({ drawing, parse, coloured = false, penWidth = OMNIGLOT_PEN_WIDTH, play = 0, label, testId, className }: StrokeViewProps) {
  const timeline = useMemo(() => replayTimeline(drawing), [drawing]);
  const [elapsed, setElapsed] = useState<number | null>(null);
  const frame = useRef(0);

  useEffect(() => {
    if (play === 0) return;
    const duration = timelineDuration(timeline);
    const start = performance.now();
    const tick = () => {
      const e = performance.now() - start;
      if (e >= duration + 150) {
        setElapsed(null);
        frame.current = 0;
        return;
      }
      setElapsed(e);
      frame.current = requestAnimationFrame(tick);
    };
    frame.current = requestAnimationFrame(tick);
    return () => cancelAnimationFrame(frame.current);
  }, [play, timeline]);

  const shown = elapsed === null ? timeline : drawingAt(timeline, elapsed);
  const showMarks = parse && elapsed === null;
  const colour = (i: number) => (coloured ? STROKE_COLOURS[i % STROKE_COLOURS.length] : 'var(--stroke-ink, #1d232b)');
  return (
    <svg
      viewBox={`-0.5 -0.5 ${OMNIGLOT_CANVAS} ${OMNIGLOT_CANVAS}`}
      className={`stroke-view ${className ?? ''}`}
      role="img"
      aria-label={label}
      data-testid={testId}
      data-strokes={drawing.length}
      data-replaying={elapsed !== null}
    >
      <rect x={-0.5} y={-0.5} width={OMNIGLOT_CANVAS} height={OMNIGLOT_CANVAS} className="paper" />
      {shown.map((s, i) => (
        <path key={i} d={pathOf(s)} stroke={colour(i)} strokeWidth={penWidth} className="stroke" />
      ))}
      {showMarks &&
        parse.strokes.map((st, i) =>
          st.subStrokeStarts.slice(1).map((k) => {
            const p = st.points[k];
            return p ? <circle key={`${i}-${k}`} cx={p.x} cy={p.y} r={2.4} className="sub-boundary" stroke={colour(i)} /> : null;
          }),
        )}
      {showMarks &&
        parse.strokes.map((st, i) => {
          const p = st.points[0];
          if (!p) return null;
          return (
            <g key={`s${i}`} className="stroke-start">
              <circle cx={p.x} cy={p.y} r={4.6} fill={colour(i)} />
              <text x={p.x} y={p.y + 2.2} textAnchor="middle">
                {i + 1}
              </text>
            </g>
          );
        })}
    </svg>
  );
});
