import { useCallback, useEffect, useMemo, useState } from 'react';
import type { Translate } from '../../ui/store';
import { MAX_PATTERN_LENGTH } from './settings';
import { COPY_BITS_SHOWN, randomPattern, useMemoryLab } from './store';
import { Matrix } from './views';

/**
 * The copy task's pattern card: the input the model sees (click a bit to flip it, or type the
 * pattern), the model's output with wrong bits marked, and the time step in view.
 */
type T = Translate;

/** Which phase a time step belongs to, for the step caption. */
export function phaseText(t: T, step: number, length: number): string {
  if (step < length) return t('memPhaseInput', { i: step + 1 });
  if (step === length) return t('memPhaseDelimiter');
  return t('memPhaseRecall', { i: step - length });
}

function StepScrubber({ t }: { t: T }) {
  const trace = useMemoryLab((s) => s.trace);
  const selStep = useMemoryLab((s) => s.selStep);
  const scrubbing = useMemoryLab((s) => s.scrubbing);
  const steps = trace?.steps ?? 1;
  useEffect(() => {
    if (!scrubbing) return;
    const id = setTimeout(() => useMemoryLab.setState((s) => ({ selStep: (s.selStep + 1) % Math.max(1, s.trace?.steps ?? 1) })), 450);
    return () => clearTimeout(id);
  }, [scrubbing, selStep]);
  const caption = trace ? t('memStepLabel', { t: selStep, T: steps - 1, phase: phaseText(t, selStep, trace.length) }) : '';
  return (
    <div className="step-row">
      <button type="button" data-testid="memory-animate" onClick={() => useMemoryLab.setState((s) => ({ scrubbing: !s.scrubbing }))}>
        {scrubbing ? `❚❚ ${t('stopAnimation')}` : `▶ ${t('animate')}`}
      </button>
      <input
        type="range"
        min={0}
        max={steps - 1}
        value={Math.min(selStep, steps - 1)}
        data-testid="time-step"
        data-step={selStep}
        aria-label={caption || t('memTimeStep')}
        onChange={(e) => useMemoryLab.setState({ selStep: Number(e.target.value), scrubbing: false })}
      />
      <span className="muted step-caption">{caption}</span>
    </div>
  );
}

export function CopyCard({ t, nextDraw }: { t: T; nextDraw: () => number }) {
  const trace = useMemoryLab((s) => s.trace);
  const pattern = useMemoryLab((s) => s.pattern);
  const selStep = useMemoryLab((s) => s.selStep);
  const maxLength = useMemoryLab((s) => s.settings.maxLength);
  const seed = useMemoryLab((s) => s.settings.seed);
  const L = pattern.length;
  const T = 2 * L + 1;
  // The input grid is drawn from the pattern itself, so a click shows at once; the output waits for the worker.
  const input = useCallback((r: number, c: number) => (r < COPY_BITS_SHOWN ? (c < L ? pattern[c][r] : 0) : c === L ? 1 : 0), [pattern, L]);
  const fresh = trace !== null && trace.length === L;
  const outputs = fresh ? trace.outputs : null;
  const output = useCallback((r: number, c: number) => (outputs ? outputs[c * COPY_BITS_SHOWN + r] : NaN), [outputs]);
  const wrong = useMemo(() => {
    const set = new Set<number>();
    if (!outputs) return set;
    for (let s = 0; s < L; s++)
      for (let k = 0; k < COPY_BITS_SHOWN; k++) if (outputs[(L + 1 + s) * COPY_BITS_SHOWN + k] > 0.5 !== pattern[s][k] > 0.5) set.add(k * T + L + 1 + s);
    return set;
  }, [outputs, pattern, L, T]);
  const setPattern = (p: number[][]) => useMemoryLab.setState((s) => ({ pattern: p, selStep: Math.min(s.selStep, 2 * p.length) }));
  const toggle = (r: number, c: number) => {
    if (r >= COPY_BITS_SHOWN || c >= L) {
      useMemoryLab.setState({ selStep: c });
      return;
    }
    setPattern(pattern.map((row, i) => (i === c ? row.map((v, k) => (k === r ? 1 - v : v)) : row)));
  };
  const resize = (n: number) => {
    const len = Math.max(1, Math.min(MAX_PATTERN_LENGTH, n));
    setPattern(Array.from({ length: len }, (_, i) => pattern[i] ?? Array.from({ length: COPY_BITS_SHOWN }, () => 0)));
  };
  const cell = T > 41 ? 8 : T > 25 ? 12 : T > 15 ? 18 : 24;
  return (
    <section className="card">
      <h2>{t('memCopyTitle')}</h2>
      <p className="help">{t('memCopyHelp')}</p>
      <div className="bit-grids" dir="ltr">
        <div className="grid-label">{t('memInputLabel')}</div>
        <Matrix
          value={input}
          rows={COPY_BITS_SHOWN + 1}
          cols={T}
          map="ink"
          cell={cell}
          highlightCol={selStep}
          splitAfter={[L, L + 1]}
          testId="copy-input"
          label={t('memInputLabel')}
          onCell={toggle}
          version={pattern}
          data={{ length: L, pattern: pattern.map((r) => r.join('')).join('-') }}
        />
        <div className="grid-label">{t('memOutputLabel')}</div>
        <Matrix
          value={output}
          rows={COPY_BITS_SHOWN}
          cols={T}
          map="ink"
          cell={cell}
          highlightCol={selStep}
          splitAfter={[L, L + 1]}
          marked={wrong}
          testId="copy-output"
          label={t('memOutputLabel')}
          onCell={(_r, c) => useMemoryLab.setState({ selStep: c })}
          version={outputs}
          data={{ length: fresh ? L : -1, errors: fresh ? wrong.size : -1 }}
        />
      </div>
      <p className="metric-line" data-testid="pattern-errors" data-errors={fresh ? wrong.size : -1}>
        {fresh ? t('memPatternErrors', { errors: wrong.size, bits: L * COPY_BITS_SHOWN }) : t('memComputing')}
        {L > maxLength && <span className="longer-note"> · {t('memLongerThanTrained', { L: maxLength })}</span>}
      </p>
      <div className="buttons">
        <button type="button" data-testid="pattern-shorter" onClick={() => resize(L - 1)} disabled={L <= 1}>
          − {t('memShorter')}
        </button>
        <span className="counter" data-testid="pattern-length">
          {t('memLength', { n: L })}
        </span>
        <button type="button" data-testid="pattern-longer" onClick={() => resize(L + 1)} disabled={L >= MAX_PATTERN_LENGTH}>
          + {t('memLonger')}
        </button>
        <button type="button" data-testid="pattern-random" onClick={() => setPattern(randomPattern(L, seed, nextDraw()))}>
          {t('memRandomPattern')}
        </button>
        <button type="button" data-testid="pattern-double" onClick={() => setPattern(randomPattern(Math.min(MAX_PATTERN_LENGTH, 2 * maxLength), seed, nextDraw()))}>
          {t('memDoubleLength', { n: 2 * maxLength })}
        </button>
        <button type="button" data-testid="pattern-clear" onClick={() => setPattern(pattern.map((r) => r.map(() => 0)))}>
          {t('memClearPattern')}
        </button>
      </div>
      <PatternText t={t} pattern={pattern} onPattern={setPattern} />
      <StepScrubber t={t} />
    </section>
  );
}

/** The pattern as text (8 bits a step, steps separated by spaces): typing is the keyboard's way to edit it. */
function PatternText({ t, pattern, onPattern }: { t: T; pattern: number[][]; onPattern: (p: number[][]) => void }) {
  const shown = pattern.map((r) => r.join('')).join(' ');
  const [text, setText] = useState(shown);
  const [bad, setBad] = useState(false);
  useEffect(() => {
    setText(shown);
    setBad(false);
  }, [shown]);
  return (
    <label className="field pattern-text">
      <span>{t('memPatternText')}</span>
      <input
        type="text"
        className="text"
        dir="ltr"
        spellCheck={false}
        value={text}
        data-testid="pattern-text"
        aria-invalid={bad}
        onChange={(e) => {
          setText(e.target.value);
          const rows = e.target.value.trim().split(/[\s,;-]+/);
          const ok = rows.length >= 1 && rows.length <= MAX_PATTERN_LENGTH && rows.every((r) => new RegExp(`^[01]{${COPY_BITS_SHOWN}}$`).test(r));
          setBad(!ok);
          if (ok) onPattern(rows.map((r) => r.split('').map(Number)));
        }}
      />
      {bad && <span className="help warn">{t('memPatternTextInvalid', { bits: COPY_BITS_SHOWN, max: MAX_PATTERN_LENGTH })}</span>}
    </label>
  );
}
