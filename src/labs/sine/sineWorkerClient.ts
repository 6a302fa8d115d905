import { Rng } from '../../engine/core/rng';
import { sampleSineDemoInputs } from '../../engine/tasks/sine';
import { connectWorker, readProbeCache, writeProbeCache } from '../../ui/workerClient';
import { useApp } from '../../ui/store';
import type { FromWorker, SineModelName, SineSettings, ToWorker } from '../../worker/sineProtocol';
import type { BackendChoice, Speed } from '../../worker/vocabulary';
import { useSine } from './store';

/**
 * The page's side of the sine worker: sends commands and folds the worker's messages into the
 * lab store. Nothing here computes tensors; training never runs on the main thread.
 */
const PROBE_CACHE_KEY = 'metaplay.probe.sine';

export class SineWorkerClient {
  private readonly worker: Worker;
  onCheckpoint: ((model: SineModelName, text: string) => void) | null = null;

  constructor(backend: BackendChoice, settings: SineSettings) {
    this.worker = new Worker(new URL('../../worker/sine.worker.ts', import.meta.url), { type: 'module', name: 'sine-trainer' });
    connectWorker<FromWorker>(this.worker, (msg) => this.receive(msg));
    this.send({ type: 'init', backend, settings, probeCache: readProbeCache(PROBE_CACHE_KEY) });
  }

  send(msg: ToWorker): void {
    this.worker.postMessage(msg);
  }

  play = () => this.send({ type: 'play' });
  pause = () => this.send({ type: 'pause' });
  step = () => this.send({ type: 'step' });
  speed = (speed: Speed) => this.send({ type: 'speed', speed });

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

  terminate(): void {
    this.worker.terminate();
  }

  private receive(msg: FromWorker): void {
    const notify = useApp.getState().notify;
    switch (msg.type) {
      case 'backend':
        useSine.setState({ backend: msg.backend, probe: msg.probe ?? useSine.getState().probe });
        if (msg.probe) writeProbeCache(PROBE_CACHE_KEY, msg.backend);
        break;
      case 'snapshot': {
        const s = useSine.getState();
        const grew = msg.mamlLoss.length > 0;
        useSine.setState({
          step: msg.step,
          running: msg.running,
          stepsPerS: msg.running ? msg.stepsPerS : s.stepsPerS,
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
      case 'notice':
        notify({ level: msg.level, key: msg.key, params: msg.params });
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
