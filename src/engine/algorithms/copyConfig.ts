// Settings of the copy task trainers (NTM and the LSTM baseline), free of tfjs so the page can import them cheaply.
import type { ControllerKind } from '../models/ntm';
import { defineSettings, SEED_FIELD, type SettingsOf } from '../settings/schema';

export const COPY_MODELS = ['ntm', 'lstm'] as const;
export type CopyModel = (typeof COPY_MODELS)[number];
export const COPY_PRESETS = ['small', 'large'] as const;
export type CopyPreset = (typeof COPY_PRESETS)[number];

const CONTROLLERS = ['lstm', 'ff'] as const satisfies readonly ControllerKind[];

/** The small preset's settings: the defaults of the page and of the schema below. */
const SMALL = { controller: 'ff', maxLength: 5, batch: 16, lr: 3e-3 } as const;

/**
 * Every setting of the copy task a user can set, declared once (the page's settings and link, the
 * CLI's flags, the config). The model is the CLI's train target and the preset its run flag, so
 * neither is a settings flag. Links keep a browser's budget; the CLI accepts the wider `cliRange`.
 */
export const COPY_SCHEMA = defineSettings({
  model: { kind: 'choice', choices: COPY_MODELS, default: 'ntm', url: 'model', cli: false, help: 'memSettingModel', retrain: true },
  preset: { kind: 'choice', choices: COPY_PRESETS, default: 'small', url: 'preset', cli: false, help: 'memSettingPreset', retrain: true },
  controller: { kind: 'choice', choices: CONTROLLERS, default: SMALL.controller, url: 'controller', cli: 'controller', help: 'memSettingController', retrain: true, only: ['ntm'] },
  /** Training sequence lengths are drawn uniformly from minLength … maxLength. */
  maxLength: { kind: 'number', default: SMALL.maxLength, min: 1, max: 20, integer: true, cliRange: [1, 200], url: 'L', cli: 'max-length', help: 'memSettingMaxLength', retrain: true },
  /** RMSProp (Graves 2013 form: centred, momentum 0.9, decay 0.95), gradients clipped to ±clip. */
  lr: { kind: 'number', default: SMALL.lr, min: 1e-6, max: 0.1, cliRange: [0, 1], url: 'lr', cli: 'lr', help: 'memSettingLr', retrain: true },
  /** Sequences per training step (all of one length). */
  batch: { kind: 'number', default: SMALL.batch, min: 1, max: 64, integer: true, cliRange: [1, 1024], url: 'batch', cli: 'batch', help: 'memSettingBatch', retrain: true },
  seed: SEED_FIELD,
});
export type CopySettings = SettingsOf<typeof COPY_SCHEMA>;

/** The copy task's config: its settings plus the preset's architecture and the fixed task and optimiser constants. */
export type CopyConfig = CopySettings & {
  /** NTM memory: N slots of width M. */
  slots: number;
  width: number;
  controllerSize: number;
  readHeads: number;
  writeHeads: number;
  /** The LSTM baseline's hidden units. */
  lstmHidden: number;
  bits: number;
  minLength: number;
  momentum: number;
  decay: number;
  clip: number;
};

const BASE = { bits: 8, minLength: 1, momentum: 0.9, decay: 0.95, clip: 10, seed: 0, readHeads: 1, writeHeads: 1 } as const;

/**
 * small: the source book's setting (N = 16 slots of M = 5, a 16-unit controller), lengths 1 … 5 (so 2×
 * lengths still fit in memory). large: closer to Graves et al. (N = 128, M = 20, LSTM 100), lengths 1 … 20.
 */
export const COPY_PRESET_CONFIGS: Record<CopyPreset, Omit<CopyConfig, 'model' | 'seed'>> = {
  small: { ...BASE, ...SMALL, preset: 'small', slots: 16, width: 5, controllerSize: 16, lstmHidden: 64 },
  large: { ...BASE, preset: 'large', slots: 128, width: 20, controller: 'lstm', controllerSize: 100, lstmHidden: 256, maxLength: 20, batch: 16, lr: 1e-3 },
};

export function copyConfig(model: CopyModel, preset: CopyPreset, overrides: Partial<CopyConfig> = {}): CopyConfig {
  return { ...COPY_PRESET_CONFIGS[preset], model, seed: 0, ...overrides };
}

/** The config of the page's settings: the preset's architecture with the settings on top. */
export function copyConfigFromSettings(s: CopySettings): CopyConfig {
  return copyConfig(s.model, s.preset, s);
}
