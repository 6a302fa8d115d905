// Settings of the MANN (Santoro et al. 2016) trainer, free of tfjs so the page can import them cheaply.

export const MANN_PRESETS = ['small', 'large'] as const;
export type MannPreset = (typeof MANN_PRESETS)[number];

export interface MannConfig {
  preset: MannPreset;
  /** N-way episodes with `instances` images of each class: N·instances steps. */
  classes: number;
  instances: number;
  slots: number;
  width: number;
  controllerSize: number;
  readHeads: number;
  usageDecay: number;
  /** Width of the linear image embedding in front of the controller. */
  embedding: number;
  /** Episodes per training step. */
  batch: number;
  lr: number;
  momentum: number;
  decay: number;
  clip: number;
  seed: number;
}

const BASE = { classes: 5, instances: 10, usageDecay: 0.95, momentum: 0.9, decay: 0.95, clip: 10, seed: 0 } as const;

/**
 * small: a memory of 32 slots of width 20, an LSTM of 64 and 2 read heads, affordable in a browser;
 * large: Santoro et al.'s 128 slots of width 40, LSTM 200 and 4 read heads.
 */
export const MANN_PRESET_CONFIGS: Record<MannPreset, Omit<MannConfig, 'seed'>> = {
  small: { ...BASE, preset: 'small', slots: 32, width: 20, controllerSize: 64, readHeads: 2, embedding: 64, batch: 16, lr: 1e-3 },
  large: { ...BASE, preset: 'large', slots: 128, width: 40, controllerSize: 200, readHeads: 4, embedding: 200, batch: 16, lr: 1e-3 },
};

export function mannConfig(preset: MannPreset, overrides: Partial<MannConfig> = {}): MannConfig {
  return { ...MANN_PRESET_CONFIGS[preset], seed: 0, ...overrides };
}

/** The presentations whose accuracy the reports single out (Santoro et al.'s table: 1st, 2nd, 5th, 10th instance). */
export const REPORTED_INSTANCES = [1, 2, 5, 10] as const;
