import { METRIC_METHODS } from '../../engine/algorithms/metric/types';
import type { MetricSettings } from '../../worker/metricProtocol';

/**
 * The metric lab's URL parameters: name in the hash, default and validation. The hash holds the
 * method on screen and the settings every method trains with, so a link reproduces the run.
 */
type Field<T> = { param: string; fallback: T; parse(raw: string): T | null; show(v: T): string };

const num = (min: number, max: number) => (raw: string) => {
  const n = Number(raw);
  if (raw.trim() === '' || !Number.isInteger(n) || n < min || n > max) return null;
  return n;
};
const choice = <C extends string | number>(choices: readonly C[]) => (raw: string) => choices.find((c) => String(c) === raw) ?? null;
const bool = (raw: string) => (raw === '1' || raw === 'true' ? true : raw === '0' || raw === 'false' ? false : null);
const showAny = (v: unknown) => (typeof v === 'boolean' ? (v ? '1' : '0') : String(v));

export const WIDTHS = [16, 32, 64] as const;
export const MAX_WAYS = 20;
export const MAX_SHOTS = 10;

export const METRIC_FIELDS: { [K in keyof MetricSettings]: Field<MetricSettings[K]> } = {
  method: { param: 'method', fallback: 'protonet', parse: choice(METRIC_METHODS), show: showAny },
  ways: { param: 'ways', fallback: 5, parse: num(2, MAX_WAYS), show: showAny },
  shots: { param: 'shots', fallback: 1, parse: num(1, MAX_SHOTS), show: showAny },
  width: { param: 'width', fallback: 32, parse: choice(WIDTHS), show: showAny },
  seed: { param: 'seed', fallback: 0, parse: num(0, 2 ** 31 - 1), show: showAny },
  episodes: { param: 'episodes', fallback: 2000, parse: num(10, 100000), show: showAny },
  siameseLoss: { param: 'loss', fallback: 'contrastive', parse: choice(['contrastive', 'triplet'] as const), show: showAny },
  covariance: { param: 'cov', fallback: 'radius', parse: choice(['radius', 'diagonal'] as const), show: showAny },
  transform: { param: 'transform', fallback: 'softplus', parse: choice(['softplus', 'sigmoid', 'sigmoid4', 'learned'] as const), show: showAny },
  semiVariant: { param: 'semi', fallback: 'soft-kmeans', parse: choice(['soft-kmeans', 'distractor', 'masked'] as const), show: showAny },
  fce: { param: 'fce', fallback: false, parse: bool, show: showAny },
  cosineScale: { param: 'scale', fallback: true, parse: bool, show: showAny },
  source: { param: 'data', fallback: 'synthetic', parse: choice(['synthetic', 'omniglot'] as const), show: showAny },
};

export const DEFAULT_METRIC_SETTINGS = Object.fromEntries(Object.entries(METRIC_FIELDS).map(([k, f]) => [k, f.fallback])) as unknown as MetricSettings;

export interface MetricLink {
  settings: MetricSettings;
  /** URL parameter names whose values were invalid and replaced by defaults. */
  invalid: string[];
}

export function parseMetricLink(params: URLSearchParams): MetricLink {
  const invalid: string[] = [];
  const out: Record<string, unknown> = {};
  for (const [key, f] of Object.entries(METRIC_FIELDS) as [string, Field<unknown>][]) {
    const raw = params.get(f.param);
    const parsed = raw === null ? null : f.parse(raw);
    if (raw !== null && parsed === null) invalid.push(f.param);
    out[key] = parsed ?? f.fallback;
  }
  return { settings: out as unknown as MetricSettings, invalid };
}

export function metricLinkParams(s: MetricSettings): URLSearchParams {
  const p = new URLSearchParams();
  for (const [key, f] of Object.entries(METRIC_FIELDS) as [keyof MetricSettings, Field<unknown>][]) p.set(f.param, f.show(s[key]));
  return p;
}

/** Settings that change a method's model or its episodes: a change of any of them retrains that method. */
export function trainingKey(s: MetricSettings): string {
  const own: Record<string, unknown> = { ways: s.ways, shots: s.shots, width: s.width, seed: s.seed, source: s.source };
  if (s.method === 'siamese') own.loss = s.siameseLoss;
  if (s.method === 'gaussian-protonet') Object.assign(own, { cov: s.covariance, transform: s.transform });
  if (s.method === 'semi-protonet') own.semi = s.semiVariant;
  if (s.method === 'matching') Object.assign(own, { fce: s.fce, scale: s.cosineScale });
  return `${s.method}:${JSON.stringify(own)}`;
}
