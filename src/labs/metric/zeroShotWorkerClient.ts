import { useApp } from '../../ui/store';
import { connectWorker, readProbeCache, writeProbeCache } from '../../ui/workerClient';
import type { BackendChoice, Speed } from '../../worker/vocabulary';
import type { FromZeroShotWorker, ToZeroShotWorker } from '../../worker/zeroShotProtocol';
import { foldZeroShotMessage, useZeroShot, ZERO_SHOT_INITIAL } from './zeroShotStore';

const PROBE_CACHE_KEY = 'metaplay.probe.zeroshot';

/** The page's side of the zero-shot worker: commands out, messages folded into the store. Nothing here trains. */
export class ZeroShotWorkerClient {
  private readonly worker: Worker;

  constructor(backend: BackendChoice, speed: Speed) {
    // A new worker starts a new network: nothing of an earlier visit's state is its own.
    useZeroShot.setState({ ...ZERO_SHOT_INITIAL });
    this.worker = new Worker(new URL('../../worker/zeroShot.worker.ts', import.meta.url), { type: 'module', name: 'zero-shot' });
    connectWorker<FromZeroShotWorker>(this.worker, (msg) => this.receive(msg));
    this.send({ type: 'init', backend, probeCache: readProbeCache(PROBE_CACHE_KEY), settings: null, speed });
  }

  send(msg: ToZeroShotWorker): void {
    this.worker.postMessage(msg);
  }

  play = () => this.send({ type: 'play' });
  pause = () => this.send({ type: 'pause' });
  step = () => this.send({ type: 'step' });
  speed = (speed: Speed) => this.send({ type: 'speed', speed });
  reset = () => this.send({ type: 'reset', settings: null });

  /** Asks for the query of `draw` scored against `attributes` (null: the classes' own). */
  view(draw: number, attributes: number[] | null): void {
    useZeroShot.setState({ draw, edited: attributes });
    this.send({ type: 'view', draw, attributes });
  }

  terminate(): void {
    this.worker.terminate();
  }

  private receive(msg: FromZeroShotWorker): void {
    if (msg.type === 'notice') useApp.getState().notify({ level: msg.level, key: msg.key, params: msg.params });
    if (msg.type === 'backend' && msg.probe) writeProbeCache(PROBE_CACHE_KEY, msg.backend);
    const patch = foldZeroShotMessage(useZeroShot.getState(), msg);
    if (patch) useZeroShot.setState(patch);
  }
}
