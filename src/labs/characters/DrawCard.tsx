import { memo, useMemo, useState } from 'react';
import { drawingToImage, IMAGE_SIZE, serializeDrawingSet, type Drawing } from '../../engine/tasks/characters';
import { DrawingPad } from '../../ui/components/DrawingPad';
import { ImageGrid } from '../../ui/components/ImageGrid';
import { useApp, type Translate } from '../../ui/store';
import { drawingView } from './bpl';
import { QUERY_COLOUR, SUPPORT_COLOUR } from './colours';
import { useChars } from './store';
import { addClass, addDrawing, addEpisode, cycleRole, episodeProblem, episodeShape, removeClass, removeDrawing, renameClass, renameEpisode, roleOf, selectEpisode, toDrawingSet, type UserSet } from './userSet';

/** An episode's name, or "Episode n" in the reader's language while it has none. */
export const episodeLabel = (t: Translate, set: UserSet, e: number) => set.episodes[e]?.name || t('charsEpisodeN', { n: e + 1 });

const NEW_CLASS = -1;

/** The drawing pad and where its drawing goes: a class of the current episode, as a shot or a query. */
export function DrawCard({ t }: { t: Translate }) {
  const notify = useApp((s) => s.notify);
  const drawing = useChars((s) => s.drawing);
  const centre = useChars((s) => s.centre);
  const classes = useChars((s) => s.user.classes);
  const target = useChars((s) => s.targetClass);
  const [newName, setNewName] = useState('');
  const chosen = target !== null && target < classes.length ? target : NEW_CLASS;
  const suggested = t('charsDefaultClassName', { letter: String.fromCharCode(65 + (classes.length % 26)) });

  const add = (role: 'support' | 'query') => {
    if (drawing.length === 0) {
      notify({ level: 'warning', key: 'charsEmptyDrawing' });
      return;
    }
    let user = useChars.getState().user;
    let c = chosen;
    if (c === NEW_CLASS) {
      const r = addClass(user, newName.trim() || suggested);
      user = r.set;
      c = r.index;
      setNewName('');
    }
    user = addDrawing(user, c, drawing, role);
    useChars.setState({ user, targetClass: c, drawing: [] });
  };
  const parse = () => {
    if (drawing.length === 0) {
      notify({ level: 'warning', key: 'charsEmptyDrawingParse' });
      return;
    }
    useChars.setState({ bpl: drawingView(drawing, { alphabet: t('charsSourceUser'), character: t('charsYourDrawing'), drawer: t('charsYou') }, true) });
    document.querySelector('[data-testid="bpl-card"]')?.scrollIntoView({ behavior: 'smooth', block: 'start' });
  };

  return (
    <section className="card" data-testid="draw-card">
      <h2>{t('charsDrawTitle')}</h2>
      <p className="help">{t('charsDrawHelp')}</p>
      <DrawingPad t={t} drawing={drawing} onChange={(d) => useChars.setState({ drawing: d })} centre={centre} onCentreChange={(c) => useChars.setState({ centre: c })} />
      <div className="target-row">
        <label className="field compact">
          <span>{t('charsTargetClass')}</span>
          <select
            value={chosen}
            data-testid="drawing-class"
            onChange={(e) => {
              const v = Number(e.target.value);
              useChars.setState({ targetClass: v === NEW_CLASS ? null : v });
            }}
          >
            {classes.map((c, i) => (
              <option key={i} value={i}>
                {c.name}
              </option>
            ))}
            <option value={NEW_CLASS}>{t('charsNewClassOption')}</option>
          </select>
        </label>
        {chosen === NEW_CLASS && (
          <input type="text" className="text" value={newName} placeholder={suggested} aria-label={t('charsNewClassName')} data-testid="new-class-name" maxLength={40} onChange={(e) => setNewName(e.target.value)} />
        )}
      </div>
      <div className="buttons">
        <button type="button" className="primary" data-testid="add-shot" onClick={() => add('support')}>
          + {t('charsAddShot')}
        </button>
        <button type="button" data-testid="add-query" onClick={() => add('query')}>
          + {t('charsAddQuery')}
        </button>
        <button type="button" data-testid="parse-drawing" onClick={parse}>
          {t('charsParseDrawing')}
        </button>
      </div>
    </section>
  );
}

/** Drawings → images, once per drawing object (drawings are never mutated). */
const imageCache = new WeakMap<Drawing, { centre: boolean; img: Float32Array }>();
function drawingImage(d: Drawing, centre: boolean): Float32Array {
  const hit = imageCache.get(d);
  if (hit && hit.centre === centre) return hit.img;
  const img = drawingToImage(d, { size: IMAGE_SIZE, centre });
  imageCache.set(d, { centre, img });
  return img;
}

/** The user's classes and episodes: roles per drawing, K per class, save and load. */
export function MyEpisodesCard({ t, onOpenFile }: { t: Translate; onOpenFile: (f: File) => void }) {
  const user = useChars((s) => s.user);
  const centre = useChars((s) => s.centre);
  const notify = useApp((s) => s.notify);
  const problem = episodeProblem(user);
  const shape = episodeShape(user);
  const setUser = (u: typeof user) => useChars.setState({ user: u });

  const save = () => {
    const { file, skipped } = toDrawingSet(user);
    if (file.classes.length === 0) {
      notify({ level: 'warning', key: 'charsNothingToSave' });
      return;
    }
    const url = URL.createObjectURL(new Blob([serializeDrawingSet(file)], { type: 'application/json' }));
    const a = document.createElement('a');
    a.href = url;
    a.download = 'my-characters.json';
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
    if (skipped.length > 0) notify({ level: 'warning', key: 'charsSavedSkipped', params: { episodes: skipped.map((e) => episodeLabel(t, user, e)).join(', ') } });
  };
  const useMine = () => {
    useChars.setState((s) => ({ source: 'user', episode: { ...s.episode, handBuilt: true }, browse: { ...s.browse, alphabet: null, character: null, image: null } }));
  };

  return (
    <section className="card" data-testid="my-episodes">
      <h2>{t('charsMyEpisodesTitle')}</h2>
      <div className="episode-pick">
        <select value={user.current} onChange={(e) => setUser(selectEpisode(user, Number(e.target.value)))} aria-label={t('charsEpisodeTitle')} data-testid="my-episode-select">
          {user.episodes.map((_, i) => (
            <option key={i} value={i}>
              {episodeLabel(t, user, i)}
            </option>
          ))}
        </select>
        <input
          key={user.current}
          type="text"
          className="text"
          defaultValue={user.episodes[user.current]?.name ?? ''}
          placeholder={t('charsEpisodeN', { n: user.current + 1 })}
          aria-label={t('charsEpisodeName')}
          maxLength={40}
          onBlur={(e) => setUser(renameEpisode(useChars.getState().user, user.current, e.target.value))}
          onKeyDown={(e) => {
            if (e.key === 'Enter') e.currentTarget.blur();
          }}
        />
        <button type="button" onClick={() => setUser(addEpisode(user))} data-testid="my-episode-new">
          + {t('charsNewEpisodeDraft')}
        </button>
      </div>
      <p className={`episode-status ${problem ? 'warn' : 'ok'}`} data-testid="episode-status" data-valid={problem ? 'false' : 'true'} data-nway={shape.nWay} data-kshot={shape.kShot} data-queries={shape.queries}>
        {problem ? t(problem.key, problem.params) : t('charsEpisodeShape', { n: shape.nWay, k: shape.kShot, q: shape.queries })}
      </p>
      {user.classes.length === 0 ? (
        <p className="muted">{t('charsNoClassesYet')}</p>
      ) : (
        <ul className="class-list">
          {user.classes.map((c, i) => (
            <ClassRow key={`${i}:${c.name}`} t={t} index={i} name={c.name} drawings={c.drawings} centre={centre} roles={c.drawings.map((_, d) => roleOf(user, i, d))} />
          ))}
        </ul>
      )}
      <p className="help">
        <span className="swatch" style={{ background: SUPPORT_COLOUR }} /> {t('charsRoleSupport')} · <span className="swatch" style={{ background: QUERY_COLOUR }} /> {t('charsRoleQuery')} · {t('charsRoleHelp')}
      </p>
      <div className="buttons">
        <button type="button" onClick={useMine} data-testid="use-my-drawings">
          {t('charsUseMine')}
        </button>
        <button type="button" onClick={save} data-testid="drawings-save">
          {t('charsSaveDrawings')}
        </button>
        <label className="button">
          {t('charsLoadDrawings')}
          <input
            type="file"
            accept="application/json,.json"
            className="sr-only"
            data-testid="drawings-load"
            onChange={(e) => {
              const f = e.target.files?.[0];
              if (f) onOpenFile(f);
              e.target.value = '';
            }}
          />
        </label>
      </div>
      <p className="help">{t('charsDrawingsStored')}</p>
    </section>
  );
}

const ROLE_COLOUR = { support: SUPPORT_COLOUR, query: QUERY_COLOUR, none: null } as const;

const ClassRow = memo(function ClassRow({ t, index, name, drawings, centre, roles }: { t: Translate; index: number; name: string; drawings: Drawing[]; centre: boolean; roles: ('support' | 'query' | 'none')[] }) {
  const notify = useApp((s) => s.notify);
  const [text, setText] = useState(name);
  const pixels = useMemo(() => {
    const n = IMAGE_SIZE * IMAGE_SIZE;
    const out = new Float32Array(drawings.length * n);
    drawings.forEach((d, k) => out.set(drawingImage(d, centre), k * n));
    return out;
  }, [drawings, centre]);
  const images = useMemo(() => drawings.map((_, k) => k), [drawings]);
  const rolesKey = roles.join(',');
  // eslint-disable-next-line react-hooks/exhaustive-deps -- keyed by content: a new array with the same roles is the same marks
  const marks = useMemo(() => roles.map((r) => ROLE_COLOUR[r]), [rolesKey]);
  const update = (f: (u: ReturnType<typeof useChars.getState>['user']) => ReturnType<typeof useChars.getState>['user']) => useChars.setState((s) => ({ user: f(s.user) }));
  const commitName = () => {
    if (text.trim() === name) return;
    const next = renameClass(useChars.getState().user, index, text);
    if (next) useChars.setState({ user: next });
    else {
      notify({ level: 'warning', key: 'charsNameTaken', params: { name: text.trim() } });
      setText(name);
    }
  };
  return (
    <li className="class-row" data-testid="my-class" data-name={name} data-drawings={drawings.length}>
      <div className="class-head">
        <input
          type="text"
          className="text"
          value={text}
          aria-label={t('charsClassName')}
          maxLength={40}
          onChange={(e) => setText(e.target.value)}
          onBlur={commitName}
          onKeyDown={(e) => {
            if (e.key === 'Enter') commitName();
          }}
        />
        <button type="button" onClick={() => update((u) => removeDrawing(u, index, drawings.length - 1))} disabled={drawings.length === 0} title={t('charsRemoveLast')} aria-label={t('charsRemoveLast')}>
          ↶
        </button>
        <button type="button" onClick={() => update((u) => removeClass(u, index))} title={t('charsRemoveClass')} aria-label={t('charsRemoveClass')}>
          ×
        </button>
      </div>
      <ImageGrid
        pixels={pixels}
        scale={1}
        imageSize={IMAGE_SIZE}
        images={images}
        cell={40}
        marks={marks}
        onPick={(d) => update((u) => cycleRole(u, index, d))}
        arrowKeys={false}
        label={t('charsDrawingsOf', { name })}
        data={{ roles: rolesKey }}
      />
    </li>
  );
});
