import type { MetricBaseline, MetricMethod } from '../../engine/algorithms/metric/types';

/** Class colours: ten distinct hues, then evenly spaced ones for larger episodes (up to 20-way). */
const TEN = ['#1c7ed6', '#e8590c', '#2f9e44', '#ae3ec9', '#c92a2a', '#0c8599', '#f08c00', '#5c7cfa', '#a61e4d', '#495057'];

export function classColour(c: number, ways: number): string {
  if (ways <= TEN.length) return TEN[c % TEN.length];
  return `hsl(${Math.round((360 * c) / ways)}, 65%, 42%)`;
}

/** The same hues darkened for text: each at least 4.5:1 against white (WCAG AA), as the plots' colours are not. */
const TEN_INK = ['#1864ab', '#b8400d', '#2b7a3a', '#862e9c', '#c92a2a', '#0b7285', '#9c5c00', '#3b5bdb', '#a61e4d', '#495057'];

/** A class's colour for its name written in text. */
export function classInk(c: number, ways: number): string {
  if (ways <= TEN_INK.length) return TEN_INK[c % TEN_INK.length];
  return `hsl(${Math.round((360 * c) / ways)}, 70%, 26%)`;
}

/** One colour per method in every chart and table. */
export const METHOD_COLOURS: Record<MetricMethod | MetricBaseline, string> = {
  siamese: '#5f3dc4',
  protonet: '#d9480f',
  'gaussian-protonet': '#2b8a3e',
  'semi-protonet': '#1971c2',
  matching: '#c2255c',
  relation: '#e67700',
  'pixel-nn': '#868e96',
  mhd: '#343a40',
};
