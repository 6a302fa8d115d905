import { defineMethod } from '../settings/method';
import { COPY_MODELS, COPY_PRESETS, COPY_PRESET_CONFIGS, COPY_SCHEMA, type CopyConfig, type CopyPreset } from '../algorithms/copyConfig';
import { MANN_PRESETS, MANN_PRESET_CONFIGS, MANN_SCHEMA, type MannConfig, type MannPreset } from '../algorithms/mannConfig';

/**
 * The memory family (issue #4): the copy task's controllers, and the MANN on character sequences.
 * Their presets are the architectures `--preset` picks (the page's preset setting; small by default).
 */
const COPY_PRESET_LABELS: Record<CopyPreset, string> = {
  small: 'The source book’s copy task: 16 memory slots of width 5, a 16-unit controller, lengths 1 to 5',
  large: 'Closer to Graves, Wayne & Danihelka 2014: 128 slots of width 20, an LSTM controller of 100, lengths 1 to 20',
};

const MANN_PRESET_LABELS: Record<MannPreset, string> = {
  small: 'Browser-sized: 32 memory slots of width 20, an LSTM of 64, 2 read heads',
  large: 'Santoro et al. 2016: 128 slots of width 40, an LSTM of 200, 4 read heads',
};

const copyPresets = COPY_PRESETS.map((id) => ({ id, label: COPY_PRESET_LABELS[id], config: COPY_PRESET_CONFIGS[id] }));
const mannPresets = MANN_PRESETS.map((id) => ({ id, label: MANN_PRESET_LABELS[id], config: MANN_PRESET_CONFIGS[id] }));

export const MEMORY_METHODS = [
  ...COPY_MODELS.map((id) => defineMethod<typeof id, 'memory', unknown, CopyConfig>({ id, family: 'memory', task: 'copy', settings: COPY_SCHEMA, presets: copyPresets })),
  defineMethod<'mann', 'memory', unknown, MannConfig>({ id: 'mann', family: 'memory', task: 'characters', settings: MANN_SCHEMA, presets: mannPresets }),
];
