import { connectWorker, readProbeCache, writeProbeCache } from '../../ui/workerClient';
import { useApp } from '../../ui/store';
import type { FromMemoryWorker, MemoryJob, ToMemoryWorker } from '../../worker/memoryProtocol';
import type { BackendChoice, Speed } from '../../worker/vocabulary';
import { useMemoryLab } from './store';

/**
 * The page's side of a memory worker (one per task on screen): sends commands and folds the
 * worker's messages into the lab store. Nothing here computes tensors; training never runs on
 * the main thread.
 */
const PROBE_CACHE_KEY = 'metaplay.probe.memory';

export class MemoryWorkerClient {
  private readonly worker: Worker;
  task: MemoryJob['task'];
  onCheckpoint: ((text: string, model: string, step: number) => void) | null = null;

  constructor(backend: BackendChoice, job: MemoryJob) {
    this.task = job.task;
    this.worker = new Worker(new URL('../../worker/memory.worker.ts', import.meta.url), { type: 'module', name: `memory-${job.task}` });
    connectWorker<FromMemoryWorker>(this.worker, (msg) => this.receive(msg));
    this.send({ type: 'init', backend, settings: job, probeCache: readProbeCache(PROBE_CACHE_KEY) });
  }

  send(msg: ToMemoryWorker): void {
    this.worker.postMessage(msg);
  }

  play = () => this.send({ type: 'play' });
  pause = () => this.send({ type: 'pause' });
  step = () => this.send({ type: 'step' });
  speed = (speed: Speed) => this.send({ type: 'speed', speed });

  reset(job: MemoryJob): void {
    const clear = { losses: [], lengths: [], evaluation: null, mannEvaluation: null, diverged: null, step: 0, running: false };
    useMemoryLab.setState(job.task === 'copy' ? { ...clear, settings: job.settings } : { ...clear, mann: job.settings });
    this.send({ type: 'reset', settings: job });
  }

  trace(): void {
    this.send({ type: 'trace', pattern: useMemoryLab.getState().pattern });
  }

  episode(draw: number): void {
    this.send({ type: 'episode', draw });
  }

  terminate(): void {
    this.worker.terminate();
  }

  private receive(msg: FromMemoryWorker): void {
    const notify = useApp.getState().notify;
    switch (msg.type) {
      case 'backend':
        useMemoryLab.setState({ backend: msg.backend, probe: msg.probe ?? useMemoryLab.getState().probe });
        if (msg.probe) writeProbeCache(PROBE_CACHE_KEY, msg.backend);
        break;
      case 'snapshot': {
        const s = useMemoryLab.getState();
        const grew = msg.losses.length > 0;
        useMemoryLab.setState({
          step: msg.step,
          running: msg.running,
          stepsPerS: msg.running ? msg.stepsPerS : s.stepsPerS,
          ...(grew ? { losses: s.losses.concat(Array.from(msg.losses)), lengths: s.lengths.concat(Array.from(msg.lengths)) } : {}),
        });
        break;
      }
      case 'trace': {
        const s = useMemoryLab.getState();
        useMemoryLab.setState({ trace: msg.view, selStep: Math.min(s.selStep, msg.view.steps - 1) });
        break;
      }
      case 'evaluation':
        useMemoryLab.setState({ evaluation: msg.view });
        break;
      case 'mannTrace':
        useMemoryLab.setState((s) => ({ mannTrace: msg.view, mannStep: Math.min(s.mannStep, msg.view.steps - 1) }));
        break;
      case 'mannEvaluation':
        useMemoryLab.setState({ mannEvaluation: msg.view });
        break;
      case 'preparing':
        useMemoryLab.setState({ preparing: msg.busy });
        break;
      case 'diverged':
        useMemoryLab.setState({ diverged: { step: msg.step, loss: msg.loss, lr: msg.lr }, running: false });
        break;
      case 'notice':
        notify({ level: msg.level, key: msg.key, params: msg.params });
        break;
      case 'checkpoint':
        this.onCheckpoint?.(msg.text, msg.model, msg.step);
        break;
      case 'checkpointLoaded': {
        // A checkpoint of the other task turns this worker into that task's: the page follows it.
        this.task = msg.job.task;
        const clear = { diverged: null, losses: [], lengths: [], evaluation: null, mannEvaluation: null, step: msg.step, task: msg.job.task };
        useMemoryLab.setState(msg.job.task === 'copy' ? { ...clear, settings: msg.job.settings, draft: msg.job.settings } : { ...clear, mann: msg.job.settings, mannDraft: msg.job.settings });
        notify({ level: 'info', key: 'memCheckpointLoaded', params: { file: msg.fileName, step: msg.step } });
        break;
      }
      case 'reset':
        useMemoryLab.setState({ losses: [], lengths: [], evaluation: null, mannEvaluation: null, diverged: null });
        break;
    }
  }
}
