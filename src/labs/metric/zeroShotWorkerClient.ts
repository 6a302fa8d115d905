import { LabWorkerClient } from '../../ui/workerClient';
import type { HostEvent } from '../../worker/hostProtocol';
import type { BackendChoice, Speed } from '../../worker/vocabulary';
import type { FromZeroShotWorker, ToZeroShotWorker } from '../../worker/zeroShotProtocol';
import { foldZeroShotMessage, useZeroShot, ZERO_SHOT_INITIAL } from './zeroShotStore';

/** The page's side of the zero-shot worker: commands out, messages folded into the store. Nothing here trains. */
export class ZeroShotWorkerClient extends LabWorkerClient<null, ToZeroShotWorker, FromZeroShotWorker> {
  constructor(backend: BackendChoice, speed: Speed) {
    // A new worker starts a new network: nothing of an earlier visit's state is its own.
    useZeroShot.setState({ ...ZERO_SHOT_INITIAL });
    super(new Worker(new URL('../../worker/zeroShot.worker.ts', import.meta.url), { type: 'module', name: 'zero-shot' }), 'metaplay.probe.zeroshot', useZeroShot, { backend, settings: null, speed });
  }

  reset = () => this.send({ type: 'reset', settings: null });

  /** Asks for the query of `draw` scored against `attributes` (null: the classes' own). */
  view(draw: number, attributes: number[] | null): void {
    useZeroShot.setState({ draw, edited: attributes });
    this.send({ type: 'view', draw, attributes });
  }

  protected receive(msg: Exclude<FromZeroShotWorker, HostEvent>): void {
    const patch = foldZeroShotMessage(useZeroShot.getState(), msg);
    if (patch) useZeroShot.setState(patch);
  }
}
