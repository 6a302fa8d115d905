import { LANDSCAPE_ALGORITHMS, type LandscapeAlgorithm, type OneDShape, type Vec2 } from '../../engine/landscape/landscape';

/** The parameter-space lab's settings, all in the link (#/landscape?w=…&b=…&alpha=…). */
export interface LandscapeSettings {
  theta: Vec2;
  alpha: number;
  k: number;
  beta: number;
  epsilon: number;
  algs: LandscapeAlgorithm[];
  /** Background: none, the pretraining objective or the MAML objective. */
  bg: 'none' | 'pretrain' | 'maml';
  /** Which task's Reptile steps g₁, g₂, … are drawn. */
  reptileTask: number;
  /** Arrows are drawn this many times longer than the update they stand for. */
  arrowScale: number;
  // The 1-D view.
  sep: number;
  a2: number;
  eps1: number;
  shape: OneDShape;
}

export const DEFAULT_LANDSCAPE: LandscapeSettings = {
  theta: [-2, -2],
  alpha: 0.25,
  k: 2,
  beta: 0.1,
  epsilon: 0.5,
  algs: [...LANDSCAPE_ALGORITHMS],
  bg: 'none',
  reptileTask: 0,
  arrowScale: 3,
  sep: 4,
  a2: 0.3,
  eps1: 0.45,
  shape: 'quadratic',
};

export const LANDSCAPE_RANGE = { lo: [-3, -3] as Vec2, hi: [3, 3] as Vec2 };

const num = (raw: string | null, min: number, max: number, integer = false): number | null => {
  if (raw === null || raw.trim() === '') return null;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < min || n > max || (integer && !Number.isInteger(n))) return null;
  return n;
};

/** Reads a link; invalid values fall back to defaults and are named in `invalid`. */
export function parseLandscapeLink(p: URLSearchParams): { settings: LandscapeSettings; invalid: string[] } {
  const d = DEFAULT_LANDSCAPE;
  const invalid: string[] = [];
  const get = (name: string, fallback: number, min: number, max: number, integer = false) => {
    const raw = p.get(name);
    if (raw === null) return fallback;
    const v = num(raw, min, max, integer);
    if (v === null) invalid.push(name);
    return v ?? fallback;
  };
  const choice = <C extends string>(name: string, options: readonly C[], fallback: C): C => {
    const raw = p.get(name);
    if (raw === null) return fallback;
    if (options.includes(raw as C)) return raw as C;
    invalid.push(name);
    return fallback;
  };
  let algs = d.algs;
  const rawAlgs = p.get('algs');
  if (rawAlgs !== null) {
    const list = rawAlgs.split(',').filter(Boolean);
    if (list.every((a) => (LANDSCAPE_ALGORITHMS as readonly string[]).includes(a))) algs = list as LandscapeAlgorithm[];
    else invalid.push('algs');
  }
  const settings: LandscapeSettings = {
    theta: [get('w', d.theta[0], LANDSCAPE_RANGE.lo[0], LANDSCAPE_RANGE.hi[0]), get('b', d.theta[1], LANDSCAPE_RANGE.lo[1], LANDSCAPE_RANGE.hi[1])],
    alpha: get('alpha', d.alpha, 0, 1),
    k: get('k', d.k, 1, 5, true),
    beta: get('beta', d.beta, 0, 1),
    epsilon: get('eps', d.epsilon, 0, 2),
    algs,
    bg: choice('bg', ['none', 'pretrain', 'maml'] as const, d.bg),
    reptileTask: get('rt', d.reptileTask, 0, 2, true),
    arrowScale: get('arrow', d.arrowScale, 1, 20),
    sep: get('sep', d.sep, 0, 8),
    a2: get('a2', d.a2, 0.05, 2),
    eps1: get('eps1', d.eps1, 0, 2),
    shape: choice('shape', ['quadratic', 'cauchy'] as const, d.shape),
  };
  return { settings, invalid };
}

export function landscapeLinkParams(s: LandscapeSettings): URLSearchParams {
  const r = (x: number) => String(Math.round(x * 1000) / 1000);
  return new URLSearchParams({
    w: r(s.theta[0]),
    b: r(s.theta[1]),
    alpha: r(s.alpha),
    k: String(s.k),
    beta: r(s.beta),
    eps: r(s.epsilon),
    algs: s.algs.join(','),
    bg: s.bg,
    rt: String(s.reptileTask),
    arrow: r(s.arrowScale),
    sep: r(s.sep),
    a2: r(s.a2),
    eps1: r(s.eps1),
    shape: s.shape,
  });
}
