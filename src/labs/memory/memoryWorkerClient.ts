import { snapshotStatus } from '../../ui/trainingStatus';
import { LabWorkerClient } from '../../ui/workerClient';
import { useApp } from '../../ui/store';
import type { HostEvent } from '../../worker/hostProtocol';
import type { FromMemoryWorker, MemoryJob, ToMemoryWorker } from '../../worker/memoryProtocol';
import type { BackendChoice } from '../../worker/vocabulary';
import { useMemoryLab } from './store';

/** The page's side of a memory worker (one per task on screen): its commands, and its messages folded into the lab store. */
export class MemoryWorkerClient extends LabWorkerClient<MemoryJob, ToMemoryWorker, FromMemoryWorker> {
  task: MemoryJob['task'];
  onCheckpoint: ((text: string, model: string, step: number) => void) | null = null;

  constructor(backend: BackendChoice, job: MemoryJob) {
    super(new Worker(new URL('../../worker/memory.worker.ts', import.meta.url), { type: 'module', name: `memory-${job.task}` }), 'metaplay.probe.memory', useMemoryLab, { backend, settings: job });
    this.task = job.task;
  }

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

  protected receive(msg: Exclude<FromMemoryWorker, HostEvent>): void {
    const notify = useApp.getState().notify;
    switch (msg.type) {
      case 'snapshot': {
        const s = useMemoryLab.getState();
        const grew = msg.losses.length > 0;
        useMemoryLab.setState({
          ...snapshotStatus(s, msg),
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
