import { copyConfig, type CopyConfig } from '../engine/algorithms/copyTask';
import { mannConfig, type MannConfig } from '../engine/algorithms/mannOmniglot';
import type { CopySettings, MannSettings } from './memoryProtocol';

/** The engine config of the memory lab's settings (the preset's architecture with the page's overrides). */
export function copyConfigOf(s: CopySettings): CopyConfig {
  return copyConfig(s.model, s.preset, { controller: s.controller, maxLength: s.maxLength, lr: s.lr, batch: s.batch, seed: s.seed });
}

export function mannConfigOf(s: MannSettings): MannConfig {
  return mannConfig(s.preset, { lr: s.lr, batch: s.batch, seed: s.seed });
}
