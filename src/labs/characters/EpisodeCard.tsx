import { memo, useMemo } from 'react';
import { drawnEpisode, EpisodeError, EpisodeSampler, SPLITS, type Episode } from '../../engine/tasks/characters';
import { ImageGrid } from '../../ui/components/ImageGrid';
import { useApp, type Translate } from '../../ui/store';
import { QUERY_COLOUR, SUPPORT_COLOUR } from './colours';
import { className, displayName, shownSplit } from './shown';
import { useChars, useDataset, type EpisodeSettings } from './store';
import { episodeProblem, toDrawingSet } from './userSet';

const LIMITS = { nWay: [1, 20], kShot: [1, 10], qQuery: [0, 10] } as const;

/** An N-way K-shot episode drawn by the engine's EpisodeSampler (or the user's hand-built one), as a gallery. */
export function EpisodeCard({ t }: { t: Translate }) {
  const source = useChars((s) => s.source);
  const ds = useDataset();
  const spec = useChars((s) => s.episode);
  const user = useChars((s) => s.user);
  const centre = useChars((s) => s.centre);
  const handBuilt = source === 'user' && spec.handBuilt;
  const split = source === 'user' ? 'evaluation' : shownSplit(ds, spec.split);

  const result = useMemo((): { episode: Episode; alphabets: string[] } | { error: string } | null => {
    try {
      if (handBuilt) {
        const problem = episodeProblem(user);
        if (problem) return { error: t(problem.key, problem.params) };
        const { file, index } = toDrawingSet(user);
        const ep = drawnEpisode(file, index[user.current], { centre });
        return { episode: ep, alphabets: ep.classes.map((c) => c.alphabet) };
      }
      if (!ds) return null;
      const sampler = new EpisodeSampler(ds, { nWay: spec.nWay, kShot: spec.kShot, qQuery: spec.qQuery, split, mode: spec.mode }, spec.seed);
      const ep = sampler.next();
      return { episode: ep, alphabets: ep.classes.map((c) => c.alphabet) };
    } catch (e) {
      if (e instanceof EpisodeError) return { error: e.message };
      throw e;
    }
  }, [handBuilt, user, centre, ds, spec, split, t]);

  const set = (patch: Partial<EpisodeSettings>) => useChars.setState((s) => ({ episode: { ...s.episode, ...patch } }));
  const num = (field: keyof typeof LIMITS) => (
    <label className="field compact">
      <span>{t(field === 'nWay' ? 'charsWay' : field === 'kShot' ? 'charsShot' : 'charsQuery')}</span>
      <input
        type="number"
        min={LIMITS[field][0]}
        max={LIMITS[field][1]}
        step={1}
        value={spec[field]}
        disabled={handBuilt}
        data-testid={`episode-${field}`}
        onChange={(e) => {
          const v = Math.round(Number(e.target.value));
          if (Number.isFinite(v) && v >= LIMITS[field][0] && v <= LIMITS[field][1]) set({ [field]: v });
        }}
      />
    </label>
  );

  return (
    <section className="card" data-testid="episode-card">
      <h2>{t('charsEpisodeTitle')}</h2>
      <p className="help">{t('charsEpisodeHelp')}</p>
      {source === 'user' && (
        <div className="segmented" role="group">
          <button type="button" aria-pressed={spec.handBuilt} className={spec.handBuilt ? 'on' : undefined} onClick={() => set({ handBuilt: true })} data-testid="episode-handbuilt">
            {t('charsHandBuilt')}
          </button>
          <button type="button" aria-pressed={!spec.handBuilt} className={!spec.handBuilt ? 'on' : undefined} onClick={() => set({ handBuilt: false })} data-testid="episode-sampled">
            {t('charsSampledFromMine')}
          </button>
        </div>
      )}
      <div className="episode-controls">
        {num('nWay')}
        {num('kShot')}
        {num('qQuery')}
        <label className="field compact">
          <span>{t('charsMode')}</span>
          <select value={spec.mode} disabled={handBuilt} onChange={(e) => set({ mode: e.target.value as EpisodeSettings['mode'] })} data-testid="episode-mode">
            <option value="between">{t('charsModeBetween')}</option>
            <option value="within">{t('charsModeWithin')}</option>
          </select>
        </label>
        <label className="field compact">
          <span>{t('charsSplit')}</span>
          <select value={split} disabled={handBuilt || source === 'user'} onChange={(e) => set({ split: e.target.value as EpisodeSettings['split'] })} data-testid="episode-split">
            {SPLITS.map((s) => (
              <option key={s} value={s}>
                {t(s === 'background' ? 'charsSplitBackground' : 'charsSplitEvaluation')}
              </option>
            ))}
          </select>
        </label>
        <button type="button" className="primary" disabled={handBuilt} onClick={() => set({ seed: spec.seed + 1 })} data-testid="episode-new">
          ⟳ {t('charsNewEpisode')}
        </button>
      </div>
      <p className="help">{t(spec.mode === 'within' ? 'charsModeWithinHelp' : 'charsModeBetweenHelp')}</p>
      {result === null ? (
        <p className="muted">{t('charsLoading')}</p>
      ) : 'error' in result ? (
        <p className="help warn" role="status" data-testid="episode-error">
          {result.error}
        </p>
      ) : (
        <EpisodeGallery t={t} episode={result.episode} alphabets={result.alphabets} source={source} seed={handBuilt ? null : spec.seed} />
      )}
    </section>
  );
}

/** Rows = classes; support images, then query images. Each row is two small canvases. */
export const EpisodeGallery = memo(function EpisodeGallery({ t, episode, alphabets, source, seed }: { t: Translate; episode: Episode; alphabets: string[]; source: string; seed: number | null }) {
  const presentation = useApp((s) => s.presentation);
  const cell = presentation ? 64 : 48;
  const k = episode.kShot;
  const rows = useMemo(
    () =>
      episode.classes.map((c, label) => {
        const support = Array.from({ length: k }, (_, j) => label * k + j);
        const query: number[] = [];
        episode.queryLabels.forEach((l, q) => {
          if (l === label) query.push(q);
        });
        return { c, label, support, query };
      }),
    [episode, k],
  );
  const supportMarks = useMemo(() => Array.from({ length: k }, () => SUPPORT_COLOUR), [k]);
  const maxQ = Math.max(0, ...rows.map((r) => r.query.length));
  const queryMarks = useMemo(() => Array.from({ length: maxQ }, () => QUERY_COLOUR), [maxQ]);
  return (
    <div
      className="episode-gallery"
      data-testid="episode-gallery"
      data-source={source}
      data-nway={episode.nWay}
      data-kshot={episode.kShot}
      data-queries={episode.queryLabels.length}
      data-alphabets={[...new Set(alphabets)].join('|')}
      data-seed={seed ?? ''}
    >
      <div className="episode-row head">
        <span>{t('charsClassLabel')}</span>
        <span>
          <span className="swatch" style={{ background: SUPPORT_COLOUR }} /> {t('charsSupportHead', { k })}
        </span>
        <span>
          <span className="swatch" style={{ background: QUERY_COLOUR }} /> {t('charsQueryHead', { q: episode.qQuery })}
        </span>
      </div>
      {rows.map((r) => (
        <div className="episode-row" key={r.label} data-testid="episode-class" data-alphabet={r.c.alphabet}>
          <span className="class-label">
            <strong>{r.label}</strong> <bdi>{displayName(r.c.alphabet)}</bdi> · <bdi>{className(r.c.name, r.c.rotation)}</bdi>
          </span>
          <ImageGrid pixels={episode.support} scale={1} imageSize={episode.imageSize} images={r.support} cell={cell} columns={k} marks={supportMarks} label={t('charsSupportOf', { name: r.c.name })} />
          <ImageGrid pixels={episode.query} scale={1} imageSize={episode.imageSize} images={r.query} cell={cell} columns={Math.max(1, r.query.length)} marks={queryMarks} label={t('charsQueryOf', { name: r.c.name })} />
        </div>
      ))}
    </div>
  );
});
