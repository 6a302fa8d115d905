import { useCallback, useEffect, useRef, useState } from 'react';
import { TransportBar, type TransportActions } from '../../ui/components/TransportBar';
import { downloadText } from '../../ui/components/labHooks';
import { CheckpointFileInput, loadShippedCheckpoints, readBackendLink, useCheckpointFile, useLabTransport } from '../../ui/components/labPage';
import { DivergedCard, divergedLossText } from '../../ui/components/DivergedCard';
import { replaceHash } from '../../ui/route';
import { useApp, useT, type Translate } from '../../ui/store';
import { recentMean, useTrainingStatus } from '../../ui/trainingStatus';
import type { CopySettings } from '../../engine/algorithms/copyConfig';
import { AddressingCard } from './AddressingCard';
import { CopyCard } from './CopyCard';
import { BerCard, CopyLossCard } from './CopyCharts';
import { CopyExplanation, MannExplanation } from './Explanation';
import { MannView } from './MannView';
import { AttentionCard, MemoryCard } from './MemoryHeatmap';
import { MemoryWorkerClient } from './memoryWorkerClient';
import { CopySettingsPanel, MannSettingsPanel } from './SettingsCard';
import { MEMORY_TASKS, memoryLinkParams, parseMemoryLink } from './settings';
import { randomPattern, useMemoryLab } from './store';
import './memory.css';

type T = Translate;
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
          {task === 'copy' ? <CopyExplanation t={t} /> : <MannExplanation t={t} />}
          {task === 'copy' ? <CopySettingsPanel t={t} onApply={reset} /> : <MannSettingsPanel t={t} onApply={reset} />}
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
