import { Rng } from '../../engine/core/rng';
import { sampleSineDemoInputs } from '../../engine/tasks/sine';
import { snapshotStatus } from '../../ui/trainingStatus';
import { LabWorkerClient } from '../../ui/workerClient';
import { useApp } from '../../ui/store';
import type { HostEvent } from '../../worker/hostProtocol';
import type { FromWorker, SineModelName, SineSettings, ToWorker } from '../../worker/sineProtocol';
import type { BackendChoice } from '../../worker/vocabulary';
import { useSine } from './store';

/** The page's side of the sine worker: its commands, and its messages folded into the lab store. */
export class SineWorkerClient extends LabWorkerClient<SineSettings, ToWorker, FromWorker> {
  onCheckpoint: ((model: SineModelName, text: string) => void) | null = null;

  constructor(backend: BackendChoice, settings: SineSettings) {
    super(new Worker(new URL('../../worker/sine.worker.ts', import.meta.url), { type: 'module', name: 'sine-trainer' }), 'metaplay.probe.sine', useSine, { backend, settings });
  }

  reset(settings: SineSettings): void {
    useSine.setState({ settings, mamlLoss: [], pretrainLoss: [], evaluation: null, diverged: null, step: 0, running: false, gaWeights: null, family: null });
    this.send({ type: 'reset', settings });
  }

  adapt(): void {
    const { support, settings, task } = useSine.getState();
    // DAML adapts without labels, on a demonstration of the task: K inputs around its crest.
    const demo = settings.algorithm === 'daml' ? Array.from(sampleSineDemoInputs(Rng.derive(settings.seed, 'ui-demo'), [task], settings.k)) : [];
    useSine.setState({ demo });
    this.send({ type: 'adapt', support, alpha: settings.alpha, ...(demo.length > 0 ? { demo } : {}) });
  }

  protected receive(msg: Exclude<FromWorker, HostEvent>): void {
    const notify = useApp.getState().notify;
    switch (msg.type) {
      case 'snapshot': {
        const s = useSine.getState();
        const grew = msg.mamlLoss.length > 0;
        useSine.setState({
          ...snapshotStatus(s, msg),
          stage: msg.stage,
          ...(msg.weights ? { gaWeights: Array.from(msg.weights) } : {}),
          ...(grew
            ? { mamlLoss: s.mamlLoss.concat(Array.from(msg.mamlLoss)), pretrainLoss: s.pretrainLoss.concat(Array.from(msg.pretrainLoss)) }
            : {}),
        });
        break;
      }
      case 'adaptation':
        useSine.setState({ adaptation: msg.view });
        break;
      case 'family':
        useSine.setState({ family: msg.view });
        break;
      case 'evaluation':
        useSine.setState({ evaluation: { step: msg.step, maml: msg.maml, pretrain: msg.pretrain, tasks: msg.tasks } });
        break;
      case 'diverged':
        useSine.setState({ diverged: { step: msg.step, model: msg.model, loss: msg.loss, alpha: msg.alpha, metaLr: msg.metaLr }, running: false });
        break;
      case 'checkpoint':
        this.onCheckpoint?.(msg.model, msg.text);
        break;
      case 'checkpointLoaded':
        useSine.setState({ diverged: null });
        notify({ level: 'info', key: 'checkpointLoaded', params: { file: msg.fileName, model: msg.model === 'maml' ? 'MAML' : 'pretraining', step: msg.step } });
        this.adapt();
        break;
      case 'reset':
        useSine.setState({ mamlLoss: [], pretrainLoss: [], evaluation: null, diverged: null, settings: msg.settings, gaWeights: null, family: null });
        this.adapt();
        break;
    }
  }
}
