// Settings of the MANN (Santoro et al. 2016) trainer, free of tfjs so the page can import them cheaply.
import { defineSettings, SEED_FIELD, type SettingsOf } from '../settings/schema';

export const MANN_PRESETS = ['small', 'large'] as const;
export type MannPreset = (typeof MANN_PRESETS)[number];

/**
 * Every setting of the MANN a user can set, declared once (the page's settings and link, the CLI's
 * flags, the config). Link names carry a `mann` prefix so one link can hold the copy task's too;
 * the preset is the CLI's run flag. The page trains 4 episodes per step (a browser's budget), the
 * CLI the preset's 16; links keep that budget, the CLI accepts the wider `cliRange`.
 */
export const MANN_SCHEMA = defineSettings({
  preset: { kind: 'choice', choices: MANN_PRESETS, default: 'small', url: 'mannPreset', cli: false, help: 'memSettingPreset', retrain: true },
  lr: { kind: 'number', default: 1e-3, min: 1e-6, max: 0.1, cliRange: [0, 1], url: 'mannLr', cli: 'lr', help: 'memSettingLr', retrain: true },
  /** Episodes per training step. */
  batch: { kind: 'number', default: 4, min: 1, max: 64, integer: true, cliRange: [1, 1024], url: 'mannBatch', cli: 'batch', help: 'memSettingEpisodes', retrain: true },
  seed: { ...SEED_FIELD, url: 'mannSeed' },
});
export type MannSettings = SettingsOf<typeof MANN_SCHEMA>;

/** The MANN's config: its settings plus the preset's architecture and the fixed episode and optimiser constants. */
export type MannConfig = MannSettings & {
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
  momentum: number;
  decay: number;
  clip: number;
};

const BASE = { classes: 5, instances: 10, usageDecay: 0.95, momentum: 0.9, decay: 0.95, clip: 10, seed: 0 } as const;

/**
 * small: a memory of 32 slots of width 20, an LSTM of 64 and 2 read heads, affordable in a browser;
 * large: Santoro et al.'s 128 slots of width 40, LSTM 200 and 4 read heads.
 */
export const MANN_PRESET_CONFIGS: Record<MannPreset, Omit<MannConfig, 'seed'>> = {
  small: { ...BASE, preset: 'small', slots: 32, width: 20, controllerSize: 64, readHeads: 2, embedding: 64, batch: 16, lr: MANN_SCHEMA.lr.default },
  large: { ...BASE, preset: 'large', slots: 128, width: 40, controllerSize: 200, readHeads: 4, embedding: 200, batch: 16, lr: 1e-3 },
};

export function mannConfig(preset: MannPreset, overrides: Partial<MannConfig> = {}): MannConfig {
  return { ...MANN_PRESET_CONFIGS[preset], seed: 0, ...overrides };
}

/** The config of the page's settings: the preset's architecture with the settings on top. */
export function mannConfigFromSettings(s: MannSettings): MannConfig {
  return mannConfig(s.preset, s);
}

/** The presentations whose accuracy the reports single out (Santoro et al.'s table: 1st, 2nd, 5th, 10th instance). */
export const REPORTED_INSTANCES = [1, 2, 5, 10] as const;
