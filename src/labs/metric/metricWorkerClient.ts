import { connectWorker, readProbeCache, writeProbeCache } from '../../ui/workerClient';
import { useApp } from '../../ui/store';
import type { FromMetricWorker, ImageBatch, MetricSettings, ToMetricWorker } from '../../worker/metricProtocol';
import type { BackendChoice, Speed } from '../../worker/vocabulary';
import { useMetricLab } from './store';

/**
 * The page's side of the metric worker: sends commands and folds the worker's messages into the
 * lab store. Nothing here computes tensors; training never runs on the main thread.
 */
const PROBE_CACHE_KEY = 'metaplay.probe.metric';

export class MetricWorkerClient {
  private readonly worker: Worker;
  private requests = 0;
  onCheckpoint: ((text: string, method: string, step: number) => void) | null = null;

  constructor(backend: BackendChoice, settings: MetricSettings) {
    this.worker = new Worker(new URL('../../worker/metric.worker.ts', import.meta.url), { type: 'module', name: 'metric' });
    connectWorker<FromMetricWorker>(this.worker, (msg) => this.receive(msg));
    this.send({ type: 'init', backend, settings, probeCache: readProbeCache(PROBE_CACHE_KEY) });
  }

  send(msg: ToMetricWorker, transfer: Transferable[] = []): void {
    this.worker.postMessage(msg, transfer);
  }

  play = () => this.send({ type: 'play' });
  pause = () => this.send({ type: 'pause' });
  step = () => this.send({ type: 'step' });
  speed = (speed: Speed) => this.send({ type: 'speed', speed });

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

  terminate(): void {
    this.worker.terminate();
  }

  private receive(msg: FromMetricWorker): void {
    const notify = useApp.getState().notify;
    switch (msg.type) {
      case 'backend':
        useMetricLab.setState((s) => ({ backend: msg.backend, probe: msg.probe ?? s.probe }));
        if (msg.probe) writeProbeCache(PROBE_CACHE_KEY, msg.backend);
        break;
      case 'methods':
        useMetricLab.setState({ available: msg.available });
        break;
      case 'snapshot': {
        const s = useMetricLab.getState();
        const patch: Partial<typeof s> = { running: msg.running, trained: msg.trained, stepsPerS: msg.running ? msg.stepsPerS : s.stepsPerS };
        if (msg.method === s.settings.method) patch.step = msg.step;
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
      case 'notice':
        notify({ level: msg.level, key: msg.key, params: msg.params });
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
