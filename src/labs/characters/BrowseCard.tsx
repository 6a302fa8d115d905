import { useEffect, useMemo, useState, type RefObject } from 'react';
import { SPLITS, type Drawing, type Split } from '../../engine/tasks/characters';
import { ImageGrid } from '../../ui/components/ImageGrid';
import { useApp, type Translate } from '../../ui/store';
import type { PageDataset } from '../../worker/charactersData';
import type { CharSource } from '../../worker/charactersProtocol';
import { drawingView, syntheticDrawing, syntheticIndices, syntheticView } from './bpl';
import type { CharactersClient } from './charactersClient';
import { StrokeView } from './StrokeView';
import { count } from './plural';
import { className, displayName, shownSplit } from './shown';
import { useChars, useDataset } from './store';

/** Alphabets → characters → the drawers of one character, with stroke replay where strokes exist. */
export function BrowseCard({ t, client }: { t: Translate; client: RefObject<CharactersClient | null> }) {
  const source = useChars((s) => s.source);
  const ds = useDataset();
  const browse = useChars((s) => s.browse);
  const presentation = useApp((s) => s.presentation);
  const split = shownSplit(ds, browse.split);

  const alphabets = useMemo(() => {
    if (!ds) return [];
    const counts = new Map<number, number>();
    for (const c of ds.characters) counts.set(c.alphabet, (counts.get(c.alphabet) ?? 0) + 1);
    return ds.alphabets.map((a, i) => ({ index: i, name: a.name, split: a.split, characters: counts.get(i) ?? 0 })).filter((a) => a.split === split && a.characters > 0);
  }, [ds, split]);
  const splitCounts = useMemo(() => {
    const n: Record<Split, number> = { background: 0, evaluation: 0 };
    for (const a of ds?.alphabets ?? []) n[a.split]++;
    return n;
  }, [ds]);

  const alphabet = browse.alphabet !== null && alphabets.some((a) => a.index === browse.alphabet) ? browse.alphabet : (alphabets[0]?.index ?? null);
  const chars = useMemo(() => (ds && alphabet !== null ? ds.characters.map((c, i) => ({ ...c, index: i })).filter((c) => c.alphabet === alphabet) : []), [ds, alphabet]);
  const charFirsts = useMemo(() => chars.map((c) => c.first), [chars]);
  const charPos = chars.findIndex((c) => c.index === browse.character);
  const character = charPos >= 0 ? chars[charPos] : (chars[0] ?? null);
  const drawers = useMemo(() => (character ? Array.from({ length: character.count }, (_, k) => character.first + k) : []), [character]);
  const imagePos = browse.image !== null && character ? browse.image - character.first : -1;
  const image = imagePos >= 0 && imagePos < drawers.length ? drawers[imagePos] : null;

  const set = (patch: Partial<typeof browse>) => useChars.setState((s) => ({ browse: { ...s.browse, ...patch } }));
  const cell = presentation ? 72 : 52;

  return (
    <section className="card" data-testid="browser" data-source={source}>
      <h2>{t('charsBrowseTitle')}</h2>
      <p className="help">{t('charsBrowseHelp')}</p>
      {!ds ? (
        <p className="muted">{t(source === 'omniglot' ? 'charsNoOmniglot' : source === 'user' ? 'charsNoDrawings' : 'charsLoading')}</p>
      ) : ds.characters.length === 0 ? (
        <p className="muted">{t(source === 'user' ? 'charsNoDrawings' : 'charsEmptySource')}</p>
      ) : (
        <>
          <div className="segmented split-tabs" role="tablist" aria-label={t('charsSplit')}>
            {SPLITS.map((s) => (
              <button
                key={s}
                type="button"
                role="tab"
                aria-selected={split === s}
                className={split === s ? 'on' : undefined}
                disabled={splitCounts[s] === 0}
                data-testid={`browse-split-${s}`}
                onClick={() => set({ split: s, alphabet: null, character: null, image: null })}
              >
                <span className={`split-badge ${s}`}>{t(s === 'background' ? 'charsSplitBackground' : 'charsSplitEvaluation')}</span>
                {count(t, 'charsAlphabetCount', splitCounts[s])}
              </button>
            ))}
          </div>
          <div className="browse-cols">
            <ul className="alphabet-list" data-testid="alphabet-list" aria-label={t('charsAlphabets')}>
              {alphabets.map((a) => (
                <li key={a.index}>
                  <button
                    type="button"
                    data-testid="alphabet"
                    data-name={a.name}
                    aria-pressed={a.index === alphabet}
                    className={a.index === alphabet ? 'on' : undefined}
                    onClick={() => set({ alphabet: a.index, character: null, image: null })}
                  >
                    <bdi className="name">{displayName(a.name)}</bdi>
                    <span className="count">{a.characters}</span>
                  </button>
                </li>
              ))}
            </ul>
            <div className="browse-detail">
              <h3>
                {alphabet !== null && <bdi>{displayName(ds.alphabets[alphabet].name)}</bdi>} <span className="muted">· {count(t, 'charsCharacterCount', chars.length)}</span>
              </h3>
              <ImageGrid
                pixels={ds.pixels}
                scale={1 / 255}
                imageSize={ds.imageSize}
                images={charFirsts}
                cell={cell}
                selected={character ? chars.indexOf(character) : null}
                onPick={(p) => set({ alphabet, character: chars[p].index, image: chars[p].first })}
                label={t('charsCharactersOf', { alphabet: alphabet !== null ? displayName(ds.alphabets[alphabet].name) : '' })}
                testId="character-grid"
              />
              {character && (
                <>
                  <h3>
                    <bdi>{className(character.name, character.rotation)}</bdi> <span className="muted">· {count(t, 'charsDrawerCount', character.count)}</span>
                  </h3>
                  <ImageGrid
                    pixels={ds.pixels}
                    scale={1 / 255}
                    imageSize={ds.imageSize}
                    images={drawers}
                    cell={cell}
                    selected={image !== null ? image - character.first : null}
                    onPick={(p) => set({ alphabet, character: character.index, image: drawers[p] })}
                    label={t('charsDrawersOf', { character: character.name })}
                    testId="drawer-grid"
                  />
                  <DrawerDetail t={t} source={source} ds={ds} image={image ?? drawers[0]} client={client} />
                </>
              )}
            </div>
          </div>
        </>
      )}
    </section>
  );
}

/** One drawer's image, large, with its strokes replayed when there are any. */
function DrawerDetail({ t, source, ds, image, client }: { t: Translate; source: CharSource; ds: PageDataset; image: number; client: RefObject<CharactersClient | null> }) {
  const [strokes, setStrokes] = useState<{ image: number; drawing: Drawing | null } | null>(null);
  const [play, setPlay] = useState(1);
  const character = useMemo(() => ds.characters.find((c) => image >= c.first && image < c.first + c.count)!, [ds, image]);
  const alphabet = ds.alphabets[character.alphabet];
  const drawer = ds.drawers[image] ?? '';

  useEffect(() => {
    let live = true;
    const done = (drawing: Drawing | null) => {
      if (!live) return;
      setStrokes({ image, drawing });
      setPlay((p) => p + 1);
    };
    if (source === 'synthetic') done(syntheticDrawing(alphabet.name, character.name, ds.imageIds[image] ?? '', character.rotation));
    else if (ds.strokes) done(ds.strokes[image] ?? null);
    else if (ds.strokeMask?.[image]) void client.current?.strokes(source, image).then(done);
    else done(null);
    return () => {
      live = false;
    };
  }, [source, ds, image, alphabet, character, client]);

  const drawing = strokes?.image === image ? strokes.drawing : null;
  const label = { alphabet: displayName(alphabet.name), character: className(character.name, character.rotation), drawer };
  const toBpl = () => {
    if (source === 'synthetic' && character.rotation === 0) {
      const ix = syntheticIndices(alphabet.name, character.name, ds.imageIds[image] ?? '');
      if (ix) {
        useChars.setState({ bpl: syntheticView(ix.a, ix.c, ix.d) });
        document.querySelector('[data-testid="bpl-card"]')?.scrollIntoView({ behavior: 'smooth', block: 'start' });
        return;
      }
    }
    if (drawing) {
      useChars.setState({ bpl: drawingView(drawing, label, false) });
      document.querySelector('[data-testid="bpl-card"]')?.scrollIntoView({ behavior: 'smooth', block: 'start' });
    }
  };

  return (
    <div className="drawer-detail" data-testid="drawer-detail" data-image={image} data-has-strokes={drawing ? 'true' : 'false'}>
      <ImageGrid pixels={ds.pixels} scale={1 / 255} imageSize={ds.imageSize} images={[image]} cell={112} label={t('charsImageLabel', label)} />
      {drawing ? (
        <StrokeView drawing={drawing} play={play} label={t('charsStrokesLabel', label)} testId="drawer-strokes" className="large" />
      ) : (
        <p className="help no-strokes">{t(source === 'omniglot' ? 'charsNoStrokesOmniglot' : 'charsNoStrokes')}</p>
      )}
      <div className="detail-text">
        <p>
          <strong>
            <bdi>{label.alphabet}</bdi>
          </strong>{' '}
          · <bdi>{label.character}</bdi> · {t('charsDrawer', { drawer })}
        </p>
        <div className="buttons">
          <button type="button" onClick={() => setPlay((p) => p + 1)} disabled={!drawing} data-testid="drawer-replay">
            ▶ {t('padReplay')}
          </button>
          <button type="button" onClick={toBpl} disabled={!drawing} data-testid="drawer-parse">
            {t('charsShowParse')}
          </button>
        </div>
      </div>
    </div>
  );
}
