// Settings of the copy task trainers (NTM and the LSTM baseline), free of tfjs so the page can import them cheaply.
import type { ControllerKind } from '../models/ntm';

export const COPY_MODELS = ['ntm', 'lstm'] as const;
export type CopyModel = (typeof COPY_MODELS)[number];
export const COPY_PRESETS = ['small', 'large'] as const;
export type CopyPreset = (typeof COPY_PRESETS)[number];

export interface CopyConfig {
  model: CopyModel;
  preset: CopyPreset;
  /** NTM memory: N slots of width M. */
  slots: number;
  width: number;
  controller: ControllerKind;
  controllerSize: number;
  readHeads: number;
  writeHeads: number;
  /** The LSTM baseline's hidden units. */
  lstmHidden: number;
  bits: number;
  /** Training sequence lengths are drawn uniformly from minLength … maxLength. */
  minLength: number;
  maxLength: number;
  /** Sequences per training step (all of one length). */
  batch: number;
  /** RMSProp (Graves 2013 form: centred, momentum 0.9, decay 0.95), gradients clipped to ±clip. */
  lr: number;
  momentum: number;
  decay: number;
  clip: number;
  seed: number;
}

const BASE = { bits: 8, minLength: 1, momentum: 0.9, decay: 0.95, clip: 10, seed: 0, readHeads: 1, writeHeads: 1 } as const;

/**
 * small: the source book's setting (N = 16 slots of M = 5, a 16-unit controller), lengths 1 … 5 (so 2×
 * lengths still fit in memory). large: closer to Graves et al. (N = 128, M = 20, LSTM 100), lengths 1 … 20.
 */
export const COPY_PRESET_CONFIGS: Record<CopyPreset, Omit<CopyConfig, 'model' | 'seed'>> = {
  small: { ...BASE, preset: 'small', slots: 16, width: 5, controller: 'ff', controllerSize: 16, lstmHidden: 64, maxLength: 5, batch: 16, lr: 3e-3 },
  large: { ...BASE, preset: 'large', slots: 128, width: 20, controller: 'lstm', controllerSize: 100, lstmHidden: 256, maxLength: 20, batch: 16, lr: 1e-3 },
};

export function copyConfig(model: CopyModel, preset: CopyPreset, overrides: Partial<CopyConfig> = {}): CopyConfig {
  return { ...COPY_PRESET_CONFIGS[preset], model, seed: 0, ...overrides };
}
