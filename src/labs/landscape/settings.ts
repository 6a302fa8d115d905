import { LANDSCAPE_ALGORITHMS, type OneDShape, type Vec2 } from '../../engine/landscape/landscape';
import { defaultsOf, defineSettings, readLink, writeLink, type SettingsOf } from '../../engine/settings/schema';

export const LANDSCAPE_RANGE = { lo: [-3, -3] as Vec2, hi: [3, 3] as Vec2 };

const BACKGROUNDS = ['none', 'pretrain', 'maml'] as const;
const ONE_D_SHAPES = ['quadratic', 'cauchy'] as const satisfies readonly OneDShape[];

/**
 * The lab's settings, declared once: their link names, ranges and defaults. θ is two link values,
 * w and b; everything is page-only (no worker or CLI reads it), so no field has a CLI flag.
 */
const THETA = { kind: 'number', round: 3, cli: false, help: 'landscapeCanvasLabel', retrain: true } as const;
export const LANDSCAPE_SCHEMA = defineSettings({
  w: { ...THETA, default: -2, min: LANDSCAPE_RANGE.lo[0], max: LANDSCAPE_RANGE.hi[0], url: 'w' },
  b: { ...THETA, default: -2, min: LANDSCAPE_RANGE.lo[1], max: LANDSCAPE_RANGE.hi[1], url: 'b' },
  alpha: { kind: 'number', default: 0.25, min: 0, max: 1, round: 3, url: 'alpha', cli: false, help: 'settingAlpha', retrain: true },
  k: { kind: 'number', default: 2, min: 1, max: 5, integer: true, url: 'k', cli: false, help: 'landscapeInnerSteps', retrain: true },
  beta: { kind: 'number', default: 0.1, min: 0, max: 1, round: 3, url: 'beta', cli: false, help: 'landscapeBeta', retrain: true },
  epsilon: { kind: 'number', default: 0.5, min: 0, max: 2, round: 3, url: 'eps', cli: false, help: 'landscapeEpsilon', retrain: true },
  algs: { kind: 'list', choices: LANDSCAPE_ALGORITHMS, default: LANDSCAPE_ALGORITHMS, url: 'algs', cli: false, help: 'landscapeAlgorithms', retrain: false },
  bg: { kind: 'choice', choices: BACKGROUNDS, default: 'none', url: 'bg', cli: false, help: 'landscapeBackground', retrain: false },
  reptileTask: { kind: 'number', default: 0, min: 0, max: 2, integer: true, url: 'rt', cli: false, help: 'landscapeReptileTask', retrain: false },
  arrowScale: { kind: 'number', default: 3, min: 1, max: 20, round: 3, url: 'arrow', cli: false, help: 'landscapeArrowScale', retrain: false },
  sep: { kind: 'number', default: 4, min: 0, max: 8, round: 3, url: 'sep', cli: false, help: 'onedSeparation', retrain: false },
  a2: { kind: 'number', default: 0.3, min: 0.05, max: 2, round: 3, url: 'a2', cli: false, help: 'onedCurvature', retrain: false },
  eps1: { kind: 'number', default: 0.45, min: 0, max: 2, round: 3, url: 'eps1', cli: false, help: 'onedEpsilon', retrain: false },
  shape: { kind: 'choice', choices: ONE_D_SHAPES, default: 'quadratic', url: 'shape', cli: false, help: 'onedShape', retrain: false },
});

/**
 * The parameter-space lab's settings, all in the link (#/landscape?w=…&b=…&alpha=…), as the page
 * uses them: θ as one point. Background: none, the pretraining objective or the MAML objective;
 * reptileTask: which task's Reptile steps g₁, g₂, … are drawn; arrowScale: arrows are drawn this
 * many times longer than the update they stand for; sep, a2, eps1, shape: the 1-D view.
 */
export type LandscapeSettings = Omit<SettingsOf<typeof LANDSCAPE_SCHEMA>, 'w' | 'b'> & { theta: Vec2 };

/** The settings as the page uses them: θ as one point. */
function fromSchema({ w, b, ...rest }: SettingsOf<typeof LANDSCAPE_SCHEMA>): LandscapeSettings {
  return { theta: [w, b], ...rest };
}

export const DEFAULT_LANDSCAPE: LandscapeSettings = fromSchema(defaultsOf(LANDSCAPE_SCHEMA));

/** The names this lab's links use: its settings' (θ is w and b) and the backend's. */
const LINK_NAMES = new Set<string>([...Object.values(LANDSCAPE_SCHEMA).map((f) => f.url), 'backend']);

/**
 * Reads a link; invalid values fall back to defaults and are named in `invalid`, and so are names
 * the lab does not know (`theta=…`, a typo), which would otherwise be dropped without a word.
 */
export function parseLandscapeLink(p: URLSearchParams): { settings: LandscapeSettings; invalid: string[] } {
  const { settings, invalid } = readLink(LANDSCAPE_SCHEMA, p);
  const unknown = [...new Set(p.keys())].filter((n) => !LINK_NAMES.has(n));
  // The notice has always named an invalid list of algorithms first, then the rest in link order.
  const ordered = [...invalid.filter((n) => n === 'algs'), ...invalid.filter((n) => n !== 'algs'), ...unknown];
  return { settings: fromSchema(settings), invalid: ordered };
}

export function landscapeLinkParams({ theta: [w, b], ...rest }: LandscapeSettings): URLSearchParams {
  return writeLink(LANDSCAPE_SCHEMA, { w, b, ...rest });
}
