import { create } from 'zustand';
import { TRAINING_IDLE, type TrainingStatus } from '../../ui/trainingStatus';
import type { MetricMethod } from '../../engine/algorithms/metric/types';
import type { ArenaRow, DrawnResult, EmbeddingView, MetricSettings, MetricSource } from '../../worker/metricProtocol';
import { DEFAULT_METRIC_SETTINGS } from './settings';

/** A method's training history on the page: one value per step. */
export interface Curves {
  losses: number[];
  accuracies: number[];
}

/** The metric lab's state on the main thread: what the worker last reported plus the user's choices. */
export interface MetricLabState extends TrainingStatus {
  settings: MetricSettings;
  draft: MetricSettings;
  /** Methods the engine has (reported by the worker). */
  available: MetricMethod[];
  curves: Partial<Record<MetricMethod, Curves>>;
  trained: Partial<Record<MetricMethod, number>>;
  embedding: EmbeddingView | null;
  /** The query whose distance lines are drawn. */
  selectedQuery: number;
  draw: number;
  shuffle: number;
  drawn: { requestId: number; ways: number; queries: number; results: DrawnResult[] } | null;
  pair: { requestId: number; distance: number; margin: number; loss: string; step: number } | null;
  arena: { rows: ArenaRow[]; ways: number; shots: number; source: MetricSource; running: boolean } | null;
  preparing: boolean;
  sourceInfo: { source: MetricSource; alphabets: number; characters: number } | null;
  diverged: { method: MetricMethod; step: number; loss: number } | null;
}

export const useMetricLab = create<MetricLabState>(() => ({
  settings: DEFAULT_METRIC_SETTINGS,
  draft: DEFAULT_METRIC_SETTINGS,
  available: [],
  ...TRAINING_IDLE,
  curves: {},
  trained: {},
  embedding: null,
  selectedQuery: 0,
  draw: 0,
  shuffle: 0,
  drawn: null,
  pair: null,
  arena: null,
  preparing: false,
  sourceInfo: null,
  diverged: null,
}));

/** Seconds left to reach `target` steps at `stepsPerS`, or null when unknown. */
export function etaSeconds(step: number, target: number, stepsPerS: number): number | null {
  if (step >= target) return 0;
  if (!(stepsPerS > 0) || !Number.isFinite(stepsPerS)) return null;
  return (target - step) / stepsPerS;
}

/** 75 s → "1:15", 3725 s → "1:02:05". */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const r = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${r}` : `${m}:${r}`;
}
