import { describe, expect, it } from 'vitest';
import { drawnEpisode, parseDrawingSet, serializeDrawingSet, type Drawing } from '../../engine/tasks/characters';
import {
  addClass,
  addDrawing,
  addEpisode,
  cycleRole,
  emptyUserSet,
  episodeProblem,
  episodeShape,
  fromDrawingSet,
  mergeUserSets,
  parseStoredUserSet,
  removeClass,
  removeDrawing,
  renameClass,
  roleOf,
  serializeUserSet,
  toDrawingSet,
  type UserSet,
} from './userSet';

const stroke = (x: number): Drawing => [
  [
    { x, y: 20, t: 0 },
    { x: x + 20, y: 60, t: 120 },
  ],
];

/** Two classes, two support shots each and one query for A. */
function twoWay(): UserSet {
  let s = emptyUserSet();
  s = addClass(s, 'A').set;
  s = addClass(s, 'B').set;
  s = addDrawing(s, 0, stroke(10), 'support');
  s = addDrawing(s, 1, stroke(20), 'support');
  s = addDrawing(s, 0, stroke(30), 'support');
  s = addDrawing(s, 1, stroke(40), 'support');
  s = addDrawing(s, 0, stroke(50), 'query');
  return s;
}

describe('building episodes from drawings', () => {
  it('adds classes with unique names and drawings with roles', () => {
    let s = emptyUserSet();
    s = addClass(s, 'A').set;
    const r = addClass(s, 'A');
    expect(r.index).toBe(1);
    expect(r.set.classes[1].name).toBe('A (2)');
    expect(renameClass(r.set, 1, 'A')).toBeNull();
    expect(renameClass(r.set, 1, '  ')).toBeNull();
    expect(renameClass(r.set, 1, 'B')!.classes[1].name).toBe('B');
    const s2 = twoWay();
    expect(episodeShape(s2)).toEqual({ nWay: 2, kShot: 2, queries: 1 });
    expect(episodeProblem(s2)).toBeNull();
    expect(roleOf(s2, 0, 2)).toBe('query');
    expect(roleOf(s2, 1, 0)).toBe('support');
  });

  it('says what is missing: no classes, a class without shots, unequal K', () => {
    expect(episodeProblem(emptyUserSet())).toEqual({ key: 'charsEpisodeEmpty' });
    let s = addClass(emptyUserSet(), 'A').set;
    s = addDrawing(s, 0, stroke(1), 'query');
    expect(episodeProblem(s)).toMatchObject({ key: 'charsEpisodeNoShot', params: { name: 'A' } });
    s = twoWay();
    s = addDrawing(s, 0, stroke(60), 'support');
    expect(episodeProblem(s)).toMatchObject({ key: 'charsEpisodeUnequalK', params: { name: 'B', have: 2, k: 3 } });
  });

  it('cycles a drawing support → query → out → support, dropping a class left empty', () => {
    let s = twoWay();
    s = cycleRole(s, 1, 0);
    expect(roleOf(s, 1, 0)).toBe('query');
    s = cycleRole(s, 1, 0);
    expect(roleOf(s, 1, 0)).toBe('none');
    s = cycleRole(s, 1, 1);
    s = cycleRole(s, 1, 1);
    expect(s.episodes[0].classes).toEqual([0]);
    s = cycleRole(s, 1, 0);
    expect(roleOf(s, 1, 0)).toBe('support');
    expect(s.episodes[0].classes).toEqual([0, 1]);
  });

  it('removing a drawing or a class re-indexes every episode', () => {
    let s = twoWay();
    s = removeDrawing(s, 0, 0);
    expect(s.classes[0].drawings).toHaveLength(2);
    expect(s.episodes[0].support[0]).toEqual([0]);
    expect(s.episodes[0].query[0]).toEqual([1]);
    s = removeClass(s, 0);
    expect(s.classes.map((c) => c.name)).toEqual(['B']);
    expect(s.episodes[0]).toMatchObject({ classes: [0], support: [[0, 1]], query: [[]] });
  });
});

describe('files and storage', () => {
  it('writes finished episodes to a file the engine reads, and turns them into the same episode', () => {
    let s = twoWay();
    s = addEpisode(s);
    s = addDrawing(s, 0, stroke(70), 'support');
    s = addDrawing(s, 1, stroke(80), 'query');
    s = addClass(s, 'empty').set;
    const { file, skipped, index } = toDrawingSet(s);
    expect(skipped).toEqual([1]);
    expect(index).toEqual([0, -1]);
    expect(file.classes.map((c) => c.name)).toEqual(['A', 'B']);
    const text = serializeDrawingSet(file);
    const back = parseDrawingSet(text);
    expect(back.episodes).toHaveLength(1);
    const ep = drawnEpisode(back, 0);
    expect([ep.nWay, ep.kShot, ep.queryLabels.length]).toEqual([2, 2, 1]);
    const again = fromDrawingSet(back);
    expect(episodeShape(again)).toEqual({ nWay: 2, kShot: 2, queries: 1 });
  });

  it('loading a file adds to the current set; nothing is replaced', () => {
    const have = twoWay();
    const loaded = fromDrawingSet(toDrawingSet(twoWay()).file);
    const m = mergeUserSets(have, loaded);
    expect(m.classes.map((c) => c.name)).toEqual(['A', 'B', 'A (2)', 'B (2)']);
    expect(m.episodes).toHaveLength(2);
    expect(m.current).toBe(1);
    expect(m.episodes[1].classes).toEqual([2, 3]);
    expect(episodeProblem(m, 1)).toBeNull();
    // Into an empty set, the untouched first episode is replaced by the file's.
    const fresh = mergeUserSets(emptyUserSet(), loaded);
    expect(fresh.episodes).toHaveLength(1);
    expect(fresh.episodes[0].classes).toEqual([0, 1]);
  });

  it('stores unfinished work and refuses damaged storage', () => {
    let s = twoWay();
    s = addDrawing(s, 0, stroke(90), 'support');
    const back = parseStoredUserSet(serializeUserSet(s));
    expect(back).toEqual(s);
    expect(() => parseStoredUserSet('{"format":"metaplay-drawings-draft","version":1,"classes":[],"episodes":[{"name":"x","classes":[0],"support":[[0]],"query":[[]]}]}')).toThrow(/no class 0/);
    expect(() => parseStoredUserSet('[]')).toThrow();
    expect(() => parseStoredUserSet('{"format":"metaplay-drawings-draft","version":1,"classes":[{"name":"A","drawings":[[[{"x":1}]]]}],"episodes":[]}')).toThrow(/x, y and t/);
  });
});
