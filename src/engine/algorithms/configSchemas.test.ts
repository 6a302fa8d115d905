import { describe, expect, it } from 'vitest';
import { COPY_MODELS, COPY_PRESET_CONFIGS, COPY_SCHEMA, copyConfig, copyConfigFromSettings } from './copyConfig';
import { MANN_PRESET_CONFIGS, MANN_SCHEMA, mannConfig, mannConfigFromSettings } from './mannConfig';
import { DEFAULT_SINE_CONFIG, SINE_ALGORITHMS, SINE_LAB_SCHEMA, SINE_SCHEMA, sineConfigFor, sineConfigFromSettings, type SineSettings } from './sineConfig';
import { defaultsOf, type Schema } from '../settings/schema';

describe('the sine, copy and MANN schemas', () => {
  it('keep the configs they replaced', () => {
    expect(DEFAULT_SINE_CONFIG).toEqual({
      algorithm: 'maml', k: 10, alpha: 0.01, innerSteps: 1, metaLr: 1e-3, metaBatch: 25, firstOrder: false, hidden: [40, 40], seed: 0, epsilon: 0.1,
      reptileMode: 'batched', innerOptimizer: 'sgd', metaSgdInit: [0.005, 0.1], contextSize: 2, contextAlpha: 1, tamlLambda: 0.1, tamlMeasure: 'theil', adaptHidden: 32,
    });
    expect(COPY_PRESET_CONFIGS.small).toEqual({
      bits: 8, minLength: 1, momentum: 0.9, decay: 0.95, clip: 10, seed: 0, readHeads: 1, writeHeads: 1, preset: 'small', slots: 16, width: 5, controller: 'ff', controllerSize: 16, lstmHidden: 64, maxLength: 5, batch: 16, lr: 3e-3,
    });
    expect(MANN_PRESET_CONFIGS.small).toEqual({
      classes: 5, instances: 10, usageDecay: 0.95, momentum: 0.9, decay: 0.95, clip: 10, seed: 0, preset: 'small', slots: 32, width: 20, controllerSize: 64, readHeads: 2, embedding: 64, batch: 16, lr: 1e-3,
    });
  });

  it('name only algorithms and models that exist', () => {
    const check = (schema: Schema, ids: readonly string[]) => {
      for (const f of Object.values(schema)) for (const id of f.only ?? []) expect(ids).toContain(id);
    };
    check(SINE_SCHEMA, SINE_ALGORITHMS);
    check(COPY_SCHEMA, COPY_MODELS);
    check(MANN_SCHEMA, ['mann']);
  });

  it('give the sine lab’s two models the configs the worker built by hand', () => {
    const s: SineSettings = {
      ...defaultsOf(SINE_LAB_SCHEMA), algorithm: 'reptile', k: 5, alpha: 0.02, innerSteps: 5, metaLr: 0.002, metaBatch: 10, seed: 4, epsilon: 1,
      reptileMode: 'serial', innerOptimizer: 'adam', contextAlpha: 0.5, tamlLambda: 0.3, tamlMeasure: 'gini', firstOrder: true,
    };
    const shared = { k: 5, alpha: 0.02, metaLr: 0.002, metaBatch: 10, seed: 4 };
    expect(sineConfigFromSettings('pretrain', s)).toEqual(sineConfigFor('pretrain', shared));
    const { innerSteps, firstOrder, epsilon, reptileMode, innerOptimizer, contextAlpha, tamlLambda, tamlMeasure } = s;
    expect(sineConfigFromSettings('maml', s)).toEqual(sineConfigFor('reptile', { ...shared, innerSteps, firstOrder, epsilon, reptileMode, innerOptimizer, contextAlpha, tamlLambda, tamlMeasure }));
  });

  it('give the memory lab’s settings the configs the worker built by hand', () => {
    const copy = { ...defaultsOf(COPY_SCHEMA), model: 'lstm' as const, preset: 'large' as const, controller: 'lstm' as const, maxLength: 12, lr: 0.002, batch: 8, seed: 3 };
    expect(copyConfigFromSettings(copy)).toEqual(copyConfig('lstm', 'large', { controller: 'lstm', maxLength: 12, lr: 0.002, batch: 8, seed: 3 }));
    const mann = { preset: 'large' as const, lr: 5e-4, batch: 8, seed: 9 };
    expect(mannConfigFromSettings(mann)).toEqual(mannConfig('large', { lr: 5e-4, batch: 8, seed: 9 }));
  });
});
