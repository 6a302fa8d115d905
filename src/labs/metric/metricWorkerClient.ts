import { snapshotStatus } from '../../ui/trainingStatus';
import { LabWorkerClient } from '../../ui/workerClient';
import { useApp } from '../../ui/store';
import type { HostEvent } from '../../worker/hostProtocol';
import type { FromMetricWorker, ImageBatch, MetricSettings, ToMetricWorker } from '../../worker/metricProtocol';
import type { BackendChoice } from '../../worker/vocabulary';
import { useMetricLab } from './store';

/** The page's side of the metric worker: its commands, and its messages folded into the lab store. */
export class MetricWorkerClient extends LabWorkerClient<MetricSettings, ToMetricWorker, FromMetricWorker> {
  private requests = 0;
  onCheckpoint: ((text: string, method: string, step: number) => void) | null = null;

  constructor(backend: BackendChoice, settings: MetricSettings) {
    super(new Worker(new URL('../../worker/metric.worker.ts', import.meta.url), { type: 'module', name: 'metric' }), 'metaplay.probe.metric', useMetricLab, { backend, settings });
  }

  configure(settings: MetricSettings): void {
    useMetricLab.setState({ settings, diverged: null });
    this.send({ type: 'configure', settings });
  }

  reset(settings: MetricSettings): void {
    useMetricLab.setState((s) => ({ settings, draft: settings, diverged: null, step: 0, running: false, curves: { ...s.curves, [settings.method]: { losses: [], accuracies: [] } } }));
    this.send({ type: 'reset', settings });
  }

  episode(draw: number, shuffle: number): void {
    this.send({ type: 'episode', draw, shuffle });
  }

  classifyDrawn(ways: number, shots: number, support: ImageBatch, query: ImageBatch): number {
    const requestId = ++this.requests;
    this.send({ type: 'classifyDrawn', ways, shots, support, query, requestId }, [support.pixels.buffer as ArrayBuffer, query.pixels.buffer as ArrayBuffer]);
    return requestId;
  }

  pair(a: Float32Array, b: Float32Array): number {
    const requestId = ++this.requests;
    this.send({ type: 'pair', a, b, requestId });
    return requestId;
  }

  protected receive(msg: Exclude<FromMetricWorker, HostEvent>): void {
    const notify = useApp.getState().notify;
    switch (msg.type) {
      case 'methods':
        useMetricLab.setState({ available: msg.available });
        break;
      case 'snapshot': {
        const s = useMetricLab.getState();
        // The step shown is the method on screen's.
        const { step, ...status } = snapshotStatus(s, msg);
        const patch: Partial<typeof s> = { ...status, trained: msg.trained, ...(msg.method === s.settings.method ? { step } : {}) };
        const c = msg.curves;
        if (c && c.losses.length > 0) {
          const old = s.curves[c.method] ?? { losses: [], accuracies: [] };
          patch.curves = { ...s.curves, [c.method]: { losses: old.losses.concat(Array.from(c.losses)), accuracies: old.accuracies.concat(Array.from(c.accuracies)) } };
        }
        useMetricLab.setState(patch);
        break;
      }
      case 'embedding':
        useMetricLab.setState((s) => ({ embedding: msg.view, selectedQuery: Math.min(s.selectedQuery, msg.view.queryLabels.length - 1) }));
        break;
      case 'drawn':
        useMetricLab.setState({ drawn: { requestId: msg.requestId, ways: msg.ways, queries: msg.queries, results: msg.results } });
        break;
      case 'pair':
        useMetricLab.setState({ pair: { requestId: msg.requestId, distance: msg.distance, margin: msg.margin, loss: msg.loss, step: msg.step } });
        break;
      case 'arena':
        useMetricLab.setState({ arena: { rows: msg.rows, ways: msg.ways, shots: msg.shots, source: msg.source, running: msg.running } });
        break;
      case 'preparing':
        useMetricLab.setState({ preparing: msg.busy });
        break;
      case 'source':
        useMetricLab.setState({ sourceInfo: { source: msg.source, alphabets: msg.alphabets, characters: msg.characters } });
        break;
      case 'diverged':
        useMetricLab.setState({ diverged: { method: msg.method, step: msg.step, loss: msg.loss }, running: false });
        break;
      case 'checkpoint':
        this.onCheckpoint?.(msg.text, msg.method, msg.step);
        break;
      case 'checkpointLoaded':
        useMetricLab.setState((s) => ({ settings: msg.settings, draft: msg.settings, step: msg.step, diverged: null, curves: { ...s.curves, [msg.settings.method]: { losses: [], accuracies: [] } } }));
        notify({ level: 'info', key: 'metricCheckpointLoaded', params: { file: msg.fileName, step: msg.step } });
        break;
      case 'reset':
        useMetricLab.setState((s) => ({ curves: { ...s.curves, [msg.method]: { losses: [], accuracies: [] } }, diverged: null }));
        break;
    }
  }
}
