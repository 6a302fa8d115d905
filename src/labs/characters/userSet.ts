import {
  DRAWING_SET_FORMAT,
  DRAWING_SET_VERSION,
  parseDrawingSet,
  type Drawing,
  type DrawingSet,
  type DrawnClass,
  type DrawnEpisode,
} from '../../engine/tasks/characters';
import type { MessageKey } from '../../i18n/messages';

/**
 * The user's drawings while they are being edited: classes of drawings, and N-way K-shot episodes
 * built from them. Like the engine's DrawingSet (the file format), except that an episode may be
 * unfinished (classes with different K) while the user is still drawing; only finished episodes
 * are written to a file. Every function is pure and returns a new set.
 */
export type Role = 'support' | 'query' | 'none';

export interface EpisodeDraft {
  /** The user's name for it ('' until named). */
  name: string;
  /** Class indices, in the order the user added them (label i = classes[i]). */
  classes: number[];
  support: number[][];
  query: number[][];
}

export interface UserSet {
  classes: DrawnClass[];
  episodes: EpisodeDraft[];
  /** The episode being edited. */
  current: number;
}

export function emptyUserSet(): UserSet {
  return { classes: [], episodes: [newEpisode()], current: 0 };
}

/** A new episode; an empty name is shown as "Episode n" in the reader's language. */
function newEpisode(): EpisodeDraft {
  return { name: '', classes: [], support: [], query: [] };
}

/** `base`, or `base (2)`, `base (3)`, … : the first name no class of this alphabet has. */
export function uniqueClassName(set: UserSet, base: string, alphabet?: string): string {
  const name = base.trim() || 'class';
  const taken = new Set(set.classes.filter((c) => (c.alphabet ?? '') === (alphabet ?? '')).map((c) => c.name));
  if (!taken.has(name)) return name;
  for (let k = 2; ; k++) if (!taken.has(`${name} (${k})`)) return `${name} (${k})`;
}

/** Adds an empty class (its name made unique); returns the set and the new class's index. */
export function addClass(set: UserSet, name: string): { set: UserSet; index: number } {
  const cls: DrawnClass = { name: uniqueClassName(set, name), drawings: [] };
  return { set: { ...set, classes: [...set.classes, cls] }, index: set.classes.length };
}

/** Renames a class; null if another class already has that name (or it is blank). */
export function renameClass(set: UserSet, index: number, name: string): UserSet | null {
  const n = name.trim();
  if (n === '' || set.classes.some((c, i) => i !== index && c.name === n && (c.alphabet ?? '') === (set.classes[index].alphabet ?? ''))) return null;
  return { ...set, classes: set.classes.map((c, i) => (i === index ? { ...c, name: n } : c)) };
}

function withEpisode(set: UserSet, e: number, f: (ep: EpisodeDraft) => EpisodeDraft): UserSet {
  return { ...set, episodes: set.episodes.map((ep, i) => (i === e ? tidy(f(ep)) : ep)) };
}

/** Drops classes that no longer have any drawing in the episode. */
function tidy(ep: EpisodeDraft): EpisodeDraft {
  const keep = ep.classes.map((_, j) => ep.support[j].length + ep.query[j].length > 0);
  return {
    name: ep.name,
    classes: ep.classes.filter((_, j) => keep[j]),
    support: ep.support.filter((_, j) => keep[j]),
    query: ep.query.filter((_, j) => keep[j]),
  };
}

/** Puts drawing `d` of class `c` into the current episode with a role (or takes it out). */
export function setRole(set: UserSet, c: number, d: number, role: Role): UserSet {
  return withEpisode(set, set.current, (ep) => {
    let j = ep.classes.indexOf(c);
    let classes = ep.classes;
    const drop = (lists: number[][]) => lists.map((l, i) => (classes[i] === c ? l.filter((k) => k !== d) : l));
    let support = drop(ep.support);
    let query = drop(ep.query);
    if (role === 'none') return { ...ep, support, query };
    if (j < 0) {
      classes = [...classes, c];
      support = [...support, []];
      query = [...query, []];
      j = classes.length - 1;
    }
    if (role === 'support') support = support.map((s, i) => (i === j ? [...s, d].sort((a, b) => a - b) : s));
    else query = query.map((q, i) => (i === j ? [...q, d].sort((a, b) => a - b) : q));
    return { ...ep, classes, support, query };
  });
}

/** The role of drawing `d` of class `c` in the current episode. */
export function roleOf(set: UserSet, c: number, d: number): Role {
  const ep = set.episodes[set.current];
  const j = ep ? ep.classes.indexOf(c) : -1;
  if (j < 0) return 'none';
  if (ep.support[j].includes(d)) return 'support';
  if (ep.query[j].includes(d)) return 'query';
  return 'none';
}

const NEXT_ROLE: Record<Role, Role> = { support: 'query', query: 'none', none: 'support' };

/** Support → query → not in the episode → support. */
export function cycleRole(set: UserSet, c: number, d: number): UserSet {
  return setRole(set, c, d, NEXT_ROLE[roleOf(set, c, d)]);
}

/** Appends a drawing to class `c` and puts it into the current episode as a support shot or a query. */
export function addDrawing(set: UserSet, c: number, drawing: Drawing, role: 'support' | 'query'): UserSet {
  if (!set.classes[c]) throw new RangeError(`there is no class ${c}`);
  const d = set.classes[c].drawings.length;
  const next = { ...set, classes: set.classes.map((cls, i) => (i === c ? { ...cls, drawings: [...cls.drawings, drawing] } : cls)) };
  return setRole(next, c, d, role);
}

/** Removes one drawing everywhere; later drawings of that class move down one index. */
export function removeDrawing(set: UserSet, c: number, d: number): UserSet {
  const shift = (list: number[]) => list.filter((k) => k !== d).map((k) => (k > d ? k - 1 : k));
  return {
    ...set,
    classes: set.classes.map((cls, i) => (i === c ? { ...cls, drawings: cls.drawings.filter((_, k) => k !== d) } : cls)),
    episodes: set.episodes.map((ep) =>
      tidy({
        ...ep,
        support: ep.support.map((s, j) => (ep.classes[j] === c ? shift(s) : s)),
        query: ep.query.map((q, j) => (ep.classes[j] === c ? shift(q) : q)),
      }),
    ),
  };
}

/** Removes a class and its drawings; later classes move down one index in every episode. */
export function removeClass(set: UserSet, c: number): UserSet {
  return {
    ...set,
    classes: set.classes.filter((_, i) => i !== c),
    episodes: set.episodes.map((ep) => {
      const keep = ep.classes.map((k) => k !== c);
      return {
        name: ep.name,
        classes: ep.classes.filter((_, j) => keep[j]).map((k) => (k > c ? k - 1 : k)),
        support: ep.support.filter((_, j) => keep[j]),
        query: ep.query.filter((_, j) => keep[j]),
      };
    }),
  };
}

export function addEpisode(set: UserSet): UserSet {
  return { ...set, episodes: [...set.episodes, newEpisode()], current: set.episodes.length };
}

export function renameEpisode(set: UserSet, e: number, name: string): UserSet {
  return { ...set, episodes: set.episodes.map((ep, i) => (i === e ? { ...ep, name: name.trim() } : ep)) };
}

export function selectEpisode(set: UserSet, e: number): UserSet {
  return e >= 0 && e < set.episodes.length ? { ...set, current: e } : set;
}

export interface EpisodeShape {
  nWay: number;
  kShot: number;
  queries: number;
}

export interface Problem {
  key: MessageKey;
  params?: Record<string, string | number>;
}

/** What is missing for the episode to be a valid N-way K-shot episode (null: it is one). */
export function episodeProblem(set: UserSet, e = set.current): Problem | null {
  const ep = set.episodes[e];
  if (!ep || ep.classes.length === 0) return { key: 'charsEpisodeEmpty' };
  const ks = ep.support.map((s) => s.length);
  const noShot = ks.findIndex((k) => k === 0);
  if (noShot >= 0) return { key: 'charsEpisodeNoShot', params: { name: set.classes[ep.classes[noShot]].name } };
  const k = Math.max(...ks);
  const short = ks.findIndex((x) => x !== k);
  if (short >= 0) return { key: 'charsEpisodeUnequalK', params: { name: set.classes[ep.classes[short]].name, have: ks[short], k } };
  return null;
}

export function episodeShape(set: UserSet, e = set.current): EpisodeShape {
  const ep = set.episodes[e];
  if (!ep) return { nWay: 0, kShot: 0, queries: 0 };
  return { nWay: ep.classes.length, kShot: Math.max(0, ...ep.support.map((s) => s.length)), queries: ep.query.reduce((n, q) => n + q.length, 0) };
}

/**
 * The file: every class with a drawing, and the finished episodes (an unfinished one cannot be
 * written: the format requires the same K for every class). `skipped` lists the episodes left out.
 */
export function toDrawingSet(set: UserSet): { file: DrawingSet; skipped: number[]; index: number[] } {
  const keep = set.classes.map((c) => c.drawings.length > 0);
  const newIndex: number[] = [];
  let n = 0;
  for (const k of keep) newIndex.push(k ? n++ : -1);
  const episodes: DrawnEpisode[] = [];
  const skipped: number[] = [];
  /** Per draft episode: its index in the file, or −1 when it is left out. */
  const index: number[] = [];
  set.episodes.forEach((ep, e) => {
    index.push(-1);
    if (ep.classes.length === 0) return;
    if (episodeProblem(set, e)) {
      skipped.push(e);
      return;
    }
    index[e] = episodes.length;
    const out: DrawnEpisode = { classes: ep.classes.map((c) => newIndex[c]), support: ep.support.map((s) => [...s]), query: ep.query.map((q) => [...q]) };
    if (ep.name) out.name = ep.name;
    episodes.push(out);
  });
  const classes = set.classes.filter((_, i) => keep[i]).map((c) => ({ ...c, drawings: c.drawings }));
  return { file: { format: DRAWING_SET_FORMAT, version: DRAWING_SET_VERSION, classes, episodes }, skipped, index };
}

/** A drawings file as an editable set (its first episode, if any, is the current one). */
export function fromDrawingSet(file: DrawingSet): UserSet {
  const episodes: EpisodeDraft[] = file.episodes.map((ep) => ({
    name: ep.name ?? '',
    classes: [...ep.classes],
    support: ep.support.map((s) => [...s]),
    query: ep.query.map((q) => [...q]),
  }));
  return { classes: file.classes.map((c) => ({ ...c })), episodes: episodes.length > 0 ? episodes : [newEpisode()], current: 0 };
}

/**
 * Loading a file adds to what the user has (nothing is replaced): its classes are appended (a
 * clashing name gets a number), its episodes too, and the first loaded episode becomes current.
 */
export function mergeUserSets(have: UserSet, added: UserSet): UserSet {
  let out: UserSet = { ...have, classes: [...have.classes] };
  const offset = have.classes.length;
  for (const c of added.classes) out = { ...out, classes: [...out.classes, { ...c, name: uniqueClassName(out, c.name, c.alphabet) }] };
  // An untouched first episode of an empty set is replaced rather than kept.
  const keepHave = have.episodes.filter((ep) => ep.classes.length > 0);
  const moved = added.episodes.map((ep) => ({ ...ep, classes: ep.classes.map((c) => c + offset) }));
  const hasAdded = added.episodes.some((ep) => ep.classes.length > 0);
  const episodes = [...keepHave, ...(hasAdded ? moved.filter((ep) => ep.classes.length > 0) : [])];
  if (episodes.length === 0) episodes.push(newEpisode());
  const current = hasAdded ? keepHave.length : Math.min(have.current, episodes.length - 1);
  return { ...out, episodes, current };
}

// ---------------------------------------------------------------------------------------------
// Browser storage: the set as it is, unfinished episodes included.

export const STORAGE_FORMAT = 'metaplay-drawings-draft';

export function serializeUserSet(set: UserSet): string {
  return JSON.stringify({ format: STORAGE_FORMAT, version: 1, classes: set.classes, episodes: set.episodes, current: set.current });
}

/** Reads a stored set back, checking every index; throws an Error saying what is wrong. */
export function parseStoredUserSet(text: string): UserSet {
  const v = JSON.parse(text) as Partial<UserSet> & { format?: string; version?: number };
  if (v === null || typeof v !== 'object' || v.format !== STORAGE_FORMAT || v.version !== 1) throw new Error('not a stored drawings set');
  // The classes go through the engine's validator (episodes checked below, as drafts).
  const { classes } = parseDrawingSet({ format: DRAWING_SET_FORMAT, version: DRAWING_SET_VERSION, classes: v.classes, episodes: [] });
  if (!Array.isArray(v.episodes)) throw new Error('episodes must be a list');
  const episodes = v.episodes.map((ep, i) => {
    const isList = (x: unknown): x is number[] => Array.isArray(x) && x.every((k) => Number.isInteger(k) && k >= 0);
    if (!ep || typeof ep.name !== 'string' || !isList(ep.classes) || !Array.isArray(ep.support) || !Array.isArray(ep.query)) throw new Error(`episode ${i} is malformed`);
    if (ep.support.length !== ep.classes.length || ep.query.length !== ep.classes.length) throw new Error(`episode ${i}: one list per class`);
    ep.classes.forEach((c, j) => {
      const n = classes[c]?.drawings.length;
      if (n === undefined) throw new Error(`episode ${i}: no class ${c}`);
      for (const k of [...ep.support[j], ...ep.query[j]]) if (!Number.isInteger(k) || k < 0 || k >= n) throw new Error(`episode ${i}: no drawing ${k} in class ${c}`);
    });
    return { name: ep.name, classes: [...ep.classes], support: ep.support.map((s) => [...s]), query: ep.query.map((q) => [...q]) };
  });
  if (episodes.length === 0) episodes.push(newEpisode());
  const current = Number.isInteger(v.current) && v.current! >= 0 && v.current! < episodes.length ? v.current! : 0;
  return { classes, episodes, current };
}
