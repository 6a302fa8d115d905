import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { TransportBar, type TransportActions } from '../../ui/components/TransportBar';
import { downloadText } from '../../ui/components/labHooks';
import { CheckpointFileInput, loadShippedCheckpoints, readBackendLink, useCheckpointFile, useLabTransport } from '../../ui/components/labPage';
import { DivergedCard, divergedLossText } from '../../ui/components/DivergedCard';
import { replaceHash } from '../../ui/route';
import { useApp, useT, type Translate } from '../../ui/store';
import { recentMean, useTrainingStatus } from '../../ui/trainingStatus';
import { COPY_SCHEMA, type CopySettings } from '../../engine/algorithms/copyConfig';
import { SettingsFields } from '../../ui/components/SettingsFields';
import { MemoryWorkerClient } from './memoryWorkerClient';
import { MannExplanation, MannSettingsPanel, MannView } from './MannView';
import { MAX_PATTERN_LENGTH, MEMORY_TASKS, memoryLinkParams, parseMemoryLink } from './settings';
import { COPY_BITS_SHOWN, randomPattern, useMemoryLab } from './store';
import { Bars, BerChart, EquationCard, LossCard, Matrix } from './views';
import './memory.css';

type T = Translate;
const READ_COLOR = '#1c7ed6';
const WRITE_COLOR = '#d9480f';
// Only the NTM ships trained: a small MANN checkpoint is ~390 KB, too much for every visitor.
const TRAINED_NTM = 'ntm-copy-small.json';

/** #/memory — a Neural Turing Machine learns to copy, and a MANN learns to learn labels, with their memories in view. */
export default function MemoryLab({ params }: { params: URLSearchParams }) {
  const t = useT();
  const notify = useApp((s) => s.notify);
  const client = useRef<MemoryWorkerClient | null>(null);
  const draws = useRef(0);
  const [ready, setReady] = useState(false);
  const task = useMemoryLab((s) => s.task);
  const settings = useMemoryLab((s) => s.settings);
  const mann = useMemoryLab((s) => s.mann);
  const pattern = useMemoryLab((s) => s.pattern);

  // Read the link once when the lab opens.
  useEffect(() => {
    const link = parseMemoryLink(params);
    if (link.invalid.length > 0) notify({ level: 'warning', key: 'noticeBadLink', params: { fields: link.invalid.join(', ') } });
    setBackendChoice(readBackendLink(params));
    useMemoryLab.setState({
      task: link.task,
      settings: link.settings,
      draft: link.settings,
      mann: link.mann,
      mannDraft: link.mann,
      pattern: randomPattern(link.settings.maxLength, link.settings.seed, 0),
      selStep: link.settings.maxLength,
      head: 0,
      mannStep: 0,
      episodeDraw: 0,
    });
    if (typeof Worker === 'undefined') {
      notify({ level: 'error', key: 'noticeWorkerUnsupported' });
      return;
    }
    setReady(true);
    // The link is read once when the lab opens; later changes are written by the lab itself.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  // One worker per task on screen: switching the task starts the other task's worker.
  useEffect(() => {
    if (!ready || client.current?.task === task) return;
    client.current?.terminate();
    const st = useMemoryLab.getState();
    useMemoryLab.setState({ backend: null, running: false, step: 0, losses: [], lengths: [], evaluation: null, trace: null, mannTrace: null, mannEvaluation: null, diverged: null, preparing: false });
    const c = new MemoryWorkerClient(backendChoice, task === 'copy' ? { task, settings: st.settings } : { task, settings: st.mann });
    client.current = c;
    if (task === 'copy') c.trace();
    else c.episode(st.episodeDraw);
    // The backend choice applies to the next worker; a change of it is sent to the running one.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [ready, task]);
  useEffect(
    () => () => {
      client.current?.terminate();
      client.current = null;
    },
    [],
  );

  useEffect(() => {
    if (ready) replaceHash('/memory', memoryLinkParams(task, settings, mann));
  }, [ready, task, settings, mann]);

  // Every new pattern is run through the model at once (the latest request wins in the worker).
  useEffect(() => {
    if (client.current?.task === 'copy') client.current.trace();
  }, [pattern]);

  const reset = useCallback(() => {
    const st = useMemoryLab.getState();
    client.current?.reset(st.task === 'copy' ? { task: 'copy', settings: st.draft } : { task: 'omniglot', settings: st.mannDraft });
  }, []);
  const nextEpisode = useCallback(() => {
    const draw = useMemoryLab.getState().episodeDraw + 1;
    useMemoryLab.setState({ episodeDraw: draw });
    client.current?.episode(draw);
  }, []);

  const isRunning = useCallback(() => useMemoryLab.getState().running, []);
  const { actions, backendChoice, setBackendChoice } = useLabTransport(t, client, { reset, isRunning, forgetBackend: () => useMemoryLab.setState({ backend: null }) });

  useEffect(() => {
    if (!client.current) return;
    client.current.onCheckpoint = (text, model, at) => downloadText(`${model === 'mann' ? 'omniglot' : 'copy'}-${model}-step${at}.json`, text);
  });
  const loadFile = useCheckpointFile((text, fileName) => client.current?.send({ type: 'loadCheckpoint', text, fileName }));

  const loadTrained = () => loadShippedCheckpoints([TRAINED_NTM], (text, fileName) => client.current?.send({ type: 'loadCheckpoint', text, fileName }));


  return (
    <div className="lab memory-lab">
      <Toolbar {...actions} />
      <DivergedBanner t={t} onReset={reset} />
      <div className="task-switch segmented" role="group" aria-label={t('memTask')}>
        {MEMORY_TASKS.map((k) => (
          <button key={k} type="button" className={task === k ? 'on' : undefined} aria-pressed={task === k} data-testid={`task-${k}`} onClick={() => useMemoryLab.setState({ task: k })}>
            {k === 'copy' ? t('memTaskCopy') : t('memTaskOmniglot')}
          </button>
        ))}
      </div>
      <div className="lab-grid">
        {task === 'copy' ? (
          <div className="main-col">
            <CopyCard t={t} nextDraw={() => ++draws.current} />
            <div className="two">
              <MemoryCard t={t} />
              <AttentionCard t={t} />
            </div>
            <AddressingCard t={t} />
            <div className="two">
              <CopyLossCard t={t} />
              <BerCard t={t} />
            </div>
          </div>
        ) : (
          <div className="main-col">
            <MannView t={t} onNextEpisode={nextEpisode} />
          </div>
        )}
        <div className="side-col">
          {task === 'copy' ? <ExplanationCard t={t} /> : <MannExplanation t={t} />}
          {task === 'copy' ? <SettingsPanel t={t} onApply={reset} /> : <MannSettingsPanel t={t} onApply={reset} />}
          <section className="card">
            <h2>{t('checkpoints')}</h2>
            <div className="buttons">
              {task === 'copy' && (
                <button type="button" className="primary" data-testid="load-trained" onClick={() => void loadTrained()}>
                  {t('memLoadTrained')}
                </button>
              )}
              <button type="button" data-testid="save-model" onClick={() => client.current?.send({ type: 'saveCheckpoint' })}>
                {t('memSaveModel')}
              </button>
              <CheckpointFileInput t={t} onFile={loadFile} />
            </div>
            <p className="help">{task === 'copy' ? t('memLoadTrainedHelp') : t('memLoadTrainedMannHelp')}</p>
            <p className="help">{t('dropHint')}</p>
          </section>
        </div>
      </div>
    </div>
  );
}

const modelName = (t: T, model: CopySettings['model'] | 'mann') => (model === 'ntm' ? t('memModelNtm') : model === 'lstm' ? t('memModelLstm') : t('memModelMann'));

function Toolbar(props: TransportActions) {
  const { t } = props;
  const status = useTrainingStatus(useMemoryLab);
  const diverged = useMemoryLab((s) => s.diverged !== null);
  const model = useMemoryLab((s) => (s.task === 'copy' ? s.settings.model : 'mann'));
  // The mean of the last 20 losses: single batches of random lengths are noisy.
  const loss = useMemoryLab((s) => recentMean(s.losses));
  return (
    <TransportBar {...props} {...status} disabled={diverged || status.backend === null}>
      <span className="metric" data-testid="memory-loss" data-value={loss !== undefined ? loss.toFixed(5) : ''} title={t(model === 'mann' ? 'memMannLossTitle' : 'memLossTitle')}>
        {modelName(t, model)}: {loss !== undefined ? loss.toFixed(3) : '—'}
      </span>
    </TransportBar>
  );
}

function DivergedBanner({ t, onReset }: { t: T; onReset: () => void }) {
  const d = useMemoryLab((s) => s.diverged);
  if (!d) return null;
  return <DivergedCard t={t} onReset={onReset} body={t('memDivergedBody', { step: d.step, loss: divergedLossText(d.loss), lr: d.lr })} />;
}

/** Which phase a time step belongs to, for the step caption. */
function phaseText(t: T, step: number, length: number): string {
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

function CopyCard({ t, nextDraw }: { t: T; nextDraw: () => number }) {
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

function NoMemory({ t }: { t: T }) {
  return <p className="help">{t('memNoMemory')}</p>;
}

function MemoryCard({ t }: { t: T }) {
  const trace = useMemoryLab((s) => s.trace);
  const selStep = useMemoryLab((s) => s.selStep);
  const hasMemory = trace !== null && trace.memory.length > 0;
  const step = trace ? Math.min(selStep, trace.steps - 1) : 0;
  const N = trace?.slots ?? 1;
  const M = trace?.width ?? 1;
  const H = trace ? trace.readHeads + trace.writeHeads : 1;
  const slice = useMemo(() => (hasMemory ? trace!.memory.subarray(step * N * M, (step + 1) * N * M) : null), [hasMemory, trace, step, N, M]);
  const scale = useMemo(() => {
    if (!slice) return 1;
    let m = 0;
    for (const v of slice) m = Math.max(m, Math.abs(v));
    return Math.max(0.05, m);
  }, [slice]);
  const checksum = useMemo(() => (slice ? slice.reduce((a, v, i) => a + v * ((i % 7) + 1), 0).toFixed(4) : ''), [slice]);
  const value = useCallback((r: number, c: number) => (slice ? slice[r * M + c] : 0), [slice, M]);
  // Weightings of this step, write heads then read heads, as thin columns beside the matrix.
  const heads = useCallback(
    (r: number, c: number) => {
      if (!trace) return 0;
      const h = c < trace.writeHeads ? trace.readHeads + c : c - trace.writeHeads;
      return trace.weights[(step * H + h) * N + r];
    },
    [trace, step, H, N],
  );
  // Both canvases share one cell size, so the head columns line up with the slots.
  const cell = Math.max(2, Math.min(18, Math.floor(280 / N)));
  const mCell = Math.max(cell, Math.min(36, Math.floor(220 / M)));
  return (
    <section className="card">
      <h2>{t('memMemoryTitle')}</h2>
      {!hasMemory ? (
        <NoMemory t={t} />
      ) : (
        <>
          <p className="help">{t('memMemoryHelp', { N, M })}</p>
          <div className="memory-view" dir="ltr">
            <Matrix value={value} rows={N} cols={M} map="diverging" scale={scale} cellW={mCell} cellH={cell} fixedSize testId="memory-heatmap" label={t('memMemoryTitle')} version={slice} data={{ step, checksum }} />
            <div className="head-columns">
              <Matrix value={heads} rows={N} cols={trace!.writeHeads + trace!.readHeads} map="heat" cellW={Math.max(cell, 14)} cellH={cell} label={t('memHeadColumns')} version={`${step}:${trace!.weights.length}:${checksum}`} testId="memory-heads" fixedSize />
              <div className="head-legend">
                <span style={{ color: WRITE_COLOR }}>{t('memWriteShort')}</span> <span style={{ color: READ_COLOR }}>{t('memReadShort')}</span>
              </div>
            </div>
          </div>
          <p className="help small" dir="ltr">
            max |M| = {scale.toFixed(3)}
          </p>
        </>
      )}
    </section>
  );
}

function AttentionCard({ t }: { t: T }) {
  const trace = useMemoryLab((s) => s.trace);
  const selStep = useMemoryLab((s) => s.selStep);
  const hasMemory = trace !== null && trace.memory.length > 0;
  const N = trace?.slots ?? 1;
  const H = trace ? trace.readHeads + trace.writeHeads : 1;
  const steps = trace?.steps ?? 1;
  const at = useCallback((head: number) => (r: number, c: number) => (trace ? trace.weights[(c * H + head) * N + r] : 0), [trace, H, N]);
  const write = useMemo(() => at(trace ? trace.readHeads : 0), [at, trace]);
  const read = useMemo(() => at(0), [at]);
  const cell = N > 32 ? 3 : Math.max(6, Math.min(12, Math.floor(300 / steps)));
  const select = (_r: number, c: number) => useMemoryLab.setState({ selStep: c });
  return (
    <section className="card">
      <h2>{t('memAttentionTitle')}</h2>
      {!hasMemory ? (
        <NoMemory t={t} />
      ) : (
        <>
          <p className="help">{t('memAttentionHelp')}</p>
          <div className="attention" dir="ltr">
            <figure>
              <figcaption style={{ color: WRITE_COLOR }}>{t('memWriteWeights')}</figcaption>
              <Matrix value={write} rows={N} cols={steps} map="heat" cell={cell} highlightCol={selStep} splitAfter={[trace!.length, trace!.length + 1]} testId="write-weights" label={t('memWriteWeights')} version={trace} onCell={select} />
            </figure>
            <figure>
              <figcaption style={{ color: READ_COLOR }}>{t('memReadWeights')}</figcaption>
              <Matrix value={read} rows={N} cols={steps} map="heat" cell={cell} highlightCol={selStep} splitAfter={[trace!.length, trace!.length + 1]} testId="read-weights" label={t('memReadWeights')} version={trace} onCell={select} />
            </figure>
          </div>
        </>
      )}
    </section>
  );
}

const fmt = (v: number | undefined) => (v === undefined || !Number.isFinite(v) ? '—' : v.toFixed(2));

function AddressingCard({ t }: { t: T }) {
  const trace = useMemoryLab((s) => s.trace);
  const selStep = useMemoryLab((s) => s.selStep);
  const head = useMemoryLab((s) => s.head);
  if (!trace || trace.memory.length === 0)
    return (
      <section className="card">
        <h2>{t('memAddressingTitle')}</h2>
        <NoMemory t={t} />
      </section>
    );
  const N = trace.slots;
  const M = trace.width;
  const H = trace.readHeads + trace.writeHeads;
  const h = Math.min(head, H - 1);
  const step = Math.min(selStep, trace.steps - 1);
  const row = (a: Float32Array, width: number) => a.subarray((step * H + h) * width, (step * H + h + 1) * width);
  const scalar = (a: Float32Array) => a[step * H + h];
  const isWrite = h >= trace.readHeads;
  const s = row(trace.shift, 3);
  const color = isWrite ? WRITE_COLOR : READ_COLOR;
  const w = h - trace.readHeads;
  const stages = [
    { id: 'content', title: t('memStageContent', { beta: fmt(scalar(trace.beta)) }), values: row(trace.content, N) },
    { id: 'gated', title: t('memStageGated', { g: fmt(scalar(trace.gate)) }), values: row(trace.gated, N) },
    { id: 'shifted', title: t('memStageShifted', { s: `(${fmt(s[0])}, ${fmt(s[1])}, ${fmt(s[2])})` }), values: row(trace.shifted, N) },
    { id: 'sharpened', title: t('memStageSharpened', { gamma: fmt(scalar(trace.gamma)) }), values: row(trace.weights, N) },
  ];
  return (
    <section className="card" data-testid="addressing">
      <h2>{t('memAddressingTitle')}</h2>
      <p className="help">{t('memAddressingHelp', { step, phase: phaseText(t, step, trace.length) })}</p>
      <div className="buttons segmented" role="group" aria-label={t('memHead')}>
        {Array.from({ length: H }, (_, i) => (
          <button key={i} type="button" className={i === h ? 'on' : undefined} aria-pressed={i === h} data-testid={`head-${i}`} onClick={() => useMemoryLab.setState({ head: i })}>
            {i < trace.readHeads ? t('memReadHead', { n: i + 1 }) : t('memWriteHead', { n: i - trace.readHeads + 1 })}
          </button>
        ))}
      </div>
      <div className="pipeline">
        {stages.map((st, i) => (
          <figure key={st.id} className="stage" data-stage={st.id}>
            <figcaption>
              {i > 0 && <span className="arrow">→ </span>}
              {st.title}
            </figcaption>
            <Bars values={st.values} color={color} label={st.title} testId={`stage-${st.id}`} />
          </figure>
        ))}
      </div>
      <div className="vectors">
        <figure>
          <figcaption>{t('memKey')}</figcaption>
          <Bars values={row(trace.key, M)} signed color={color} label={t('memKey')} height={50} />
        </figure>
        {isWrite && (
          <>
            <figure>
              <figcaption>{t('memErase')}</figcaption>
              <Bars values={trace.erase.subarray((step * trace.writeHeads + w) * M, (step * trace.writeHeads + w + 1) * M)} color="#495057" label={t('memErase')} height={50} testId="erase-vector" />
            </figure>
            <figure>
              <figcaption>{t('memAdd')}</figcaption>
              <Bars values={trace.add.subarray((step * trace.writeHeads + w) * M, (step * trace.writeHeads + w + 1) * M)} signed color={WRITE_COLOR} label={t('memAdd')} height={50} testId="add-vector" />
            </figure>
          </>
        )}
      </div>
    </section>
  );
}

function CopyLossCard({ t }: { t: T }) {
  const losses = useMemoryLab((s) => s.losses);
  const L = useMemoryLab((s) => s.settings.maxLength);
  return <LossCard title={t('memLossTitle')} help={t('memLossHelp', { L })} losses={losses} />;
}

function BerCard({ t }: { t: T }) {
  const evaluation = useMemoryLab((s) => s.evaluation);
  const trainedL = useMemoryLab((s) => s.settings.maxLength);
  const atTrained = evaluation ? evaluation.ber.slice(0, trainedL).reduce((a, b, i) => a + b * (i + 1), 0) / ((trainedL * (trainedL + 1)) / 2) : null;
  const atDouble = evaluation ? evaluation.ber[2 * trainedL - 1] : null;
  return (
    <section className="card">
      <h2>{t('memBerTitle')}</h2>
      <p className="help">{evaluation ? t('memBerHelp', { n: evaluation.sequences, step: evaluation.step }) : t('mseStepsNone')}</p>
      {evaluation && (
        <>
          <BerChart lengths={evaluation.lengths} ber={evaluation.ber} trained={trainedL} label={t('memBerTitle')} lengthLabel={t('memSequenceLength')} />
          <p className="metric-line" data-testid="bit-error" data-trained={atTrained?.toFixed(5)} data-double={atDouble?.toFixed(5)}>
            {t('memBerSummary', { L: trainedL, trained: pct(atTrained), double: pct(atDouble), L2: 2 * trainedL })}
          </p>
        </>
      )}
    </section>
  );
}

const pct = (v: number | null | undefined) => (v === null || v === undefined || !Number.isFinite(v) ? '—' : `${(100 * v).toFixed(1)}%`);

function ExplanationCard({ t }: { t: T }) {
  const items = [
    // softmax_i(·) rather than the fraction: the side column must hold it in presentation mode.
    { id: 'content', tex: String.raw`w^c_t(i) = \operatorname{softmax}_i\big(\beta_t K(\mathbf{k}_t, M_{t-1}(i))\big)`, text: '' },
    { id: 'cosine', tex: String.raw`K(\mathbf{u},\mathbf{v}) = \frac{\mathbf{u}\cdot\mathbf{v}}{\lVert\mathbf{u}\rVert\,\lVert\mathbf{v}\rVert}`, text: t('memEqContent') },
    { id: 'gated', tex: String.raw`\mathbf{w}^g_t = g_t\,\mathbf{w}^c_t + (1 - g_t)\,\mathbf{w}_{t-1}`, text: t('memEqGate') },
    { id: 'shifted', tex: String.raw`\tilde w_t(i) = \sum_{j} w^g_t(j)\, s_t(i - j)`, text: t('memEqShift') },
    { id: 'sharpened', tex: String.raw`w_t(i) = \frac{\tilde w_t(i)^{\gamma_t}}{\sum_j \tilde w_t(j)^{\gamma_t}}`, text: t('memEqSharpen') },
    { id: 'read', tex: String.raw`\mathbf{r}_t = \sum_i w^r_t(i)\, M_{t-1}(i)`, text: t('memEqRead') },
    { id: 'erase', tex: String.raw`\tilde M_t(i) = M_{t-1}(i)\big[\mathbf{1} - w^w_t(i)\,\mathbf{e}_t\big]`, text: '' },
    { id: 'write', tex: String.raw`M_t(i) = \tilde M_t(i) + w^w_t(i)\,\mathbf{a}_t`, text: t('memEqWrite') },
  ];
  return <EquationCard title={t('explanationTitle')} intro={t('memEqIntro')} items={items} testId="explanation" />;
}

function SettingsPanel({ t, onApply }: { t: T; onApply: () => void }) {
  const draft = useMemoryLab((s) => s.draft);
  const settings = useMemoryLab((s) => s.settings);
  const changed = (Object.keys(draft) as (keyof CopySettings)[]).some((k) => draft[k] !== settings[k]);
  return (
    <section className="card">
      <h2>{t('settings')}</h2>
      <div className="fields">
        <SettingsFields
          schema={COPY_SCHEMA}
          values={draft}
          subject={draft.model}
          t={t}
          testId={(key) => `setting-${key}`}
          onChange={(patch) => useMemoryLab.setState((s) => ({ draft: { ...s.draft, ...patch } }))}
          choiceText={{
            model: (m) => t(m === 'ntm' ? 'memModelNtm' : 'memModelLstm'),
            preset: (p) => t(p === 'small' ? 'memPresetSmall' : 'memPresetLarge'),
            controller: (c) => t(c === 'lstm' ? 'memControllerLstm' : 'memControllerFf'),
          }}
        />
      </div>
      {changed && <p className="help warn">{t('settingsChanged')}</p>}
      <button type="button" className={changed ? 'primary' : undefined} data-testid="apply-settings" onClick={onApply}>
        {t('applySettings')}
      </button>
    </section>
  );
}
