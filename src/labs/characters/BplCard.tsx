import { useEffect, useMemo, useState } from 'react';
import { drawingToImage, IMAGE_SIZE } from '../../engine/tasks/characters';
import { Equation } from '../../ui/components/Equation';
import { ImageGrid } from '../../ui/components/ImageGrid';
import type { Translate } from '../../ui/store';
import { newCharacter, newDrawer, relationMessage, STROKE_COLOURS, syntheticView } from './bpl';
import { StrokeView } from './StrokeView';
import { count } from './plural';
import { useChars } from './store';

/**
 * Bayesian Program Learning, shown: a character's parse (coloured strokes, sub-stroke boundaries,
 * how each stroke attaches), a new drawer of the same character, a new character of the alphabet,
 * and the user's own drawing parsed and re-drawn as new tokens.
 */
export function BplCard({ t }: { t: Translate }) {
  const view = useChars((s) => s.bpl);
  const [play, setPlay] = useState(1);
  useEffect(() => {
    if (!useChars.getState().bpl) useChars.setState({ bpl: syntheticView(0, 0, 0) });
  }, []);
  // Every new token is drawn in front of the viewer.
  useEffect(() => setPlay((p) => p + 1), [view?.token]);
  const image = useMemo(() => (view ? drawingToImage(view.token.drawing, { size: IMAGE_SIZE, centre: false, penWidth: view.token.penWidth }) : null), [view]);
  const stats = useMemo(() => {
    if (!view) return null;
    const subs = view.token.parse.strokes.reduce((n, s) => n + s.subStrokeStarts.length, 0);
    return { strokes: view.token.parse.strokes.length, subs };
  }, [view]);

  if (!view || !image || !stats) return <section className="card" data-testid="bpl-card" />;
  const set = (f: typeof newDrawer) => useChars.setState((s) => ({ bpl: s.bpl ? f(s.bpl) : s.bpl }));
  return (
    <section className="card bpl-card" data-testid="bpl-card" data-origin={view.origin} data-strokes={stats.strokes} data-substrokes={stats.subs} data-redraws={view.redraws.length}>
      <h2>{t('charsBplTitle')}</h2>
      <p className="help">{t('charsBplHelp')}</p>
      <Equation tex={String.raw`P(\psi, \theta^{(1:M)}, I^{(1:M)}) = P(\psi) \prod_{m=1}^{M} P(\theta^{(m)} \mid \psi)\, P(I^{(m)} \mid \theta^{(m)})`} />
      <p className="help">{t('charsBplEquation')}</p>
      <div className="bpl-main">
        <figure>
          <StrokeView drawing={view.token.drawing} parse={view.token.parse} coloured penWidth={Math.max(2.5, view.token.penWidth * 0.7)} play={play} label={t('charsParseLabel')} testId="bpl-parse" className="large" />
          <figcaption>
            <strong>
              <bdi>{view.alphabet}</bdi>
            </strong>{' '}
            · <bdi>{view.character}</bdi> · {t('charsDrawer', { drawer: view.drawer })}
          </figcaption>
        </figure>
        <div className="bpl-side">
          <ol className="relations" data-testid="bpl-relations">
            {view.token.parse.strokes.map((st, i) => {
              const r = relationMessage(view.token.parse.relations[i]);
              return (
                <li key={i}>
                  <span className="stroke-dot" style={{ background: STROKE_COLOURS[i % STROKE_COLOURS.length] }}>
                    {i + 1}
                  </span>
                  <span>
                    {count(t, 'charsSubStrokes', st.subStrokeStarts.length)} · <em>{t(r.key, r.params)}</em>
                  </span>
                </li>
              );
            })}
          </ol>
          <p className="help">{t('charsParseLegend')}</p>
          <figure className="model-input">
            <ImageGrid pixels={image} scale={1} imageSize={IMAGE_SIZE} images={[0]} cell={84} label={t('padPreview28')} />
            <figcaption>{t('padPreview28')}</figcaption>
          </figure>
        </div>
      </div>
      <div className="buttons">
        <button type="button" onClick={() => setPlay((p) => p + 1)} data-testid="bpl-replay">
          ▶ {t('padReplay')}
        </button>
        <button type="button" className="primary" onClick={() => set(newDrawer)} data-testid="bpl-new-drawer">
          {t('charsNewDrawer')}
        </button>
        <button type="button" onClick={() => set(newCharacter)} disabled={!view.style} data-testid="bpl-new-character" title={view.style ? undefined : t('charsNewCharacterOnlySynthetic')}>
          {t('charsNewCharacter')}
        </button>
        {view.origin === 'drawing' && (
          <button type="button" onClick={() => useChars.setState({ bpl: syntheticView(0, 0, 0) })}>
            {t('charsBackToSynthetic')}
          </button>
        )}
      </div>
      <p className="help">{t(view.style ? 'charsResampleHelp' : 'charsResampleHelpDrawing')}</p>
      {view.redraws.length > 0 && (
        <>
          <h3>{t('charsRedrawsTitle')}</h3>
          <div className="redraws" data-testid="bpl-redraws">
            {view.redraws.map((tok, k) => (
              <StrokeView key={k} drawing={tok.drawing} penWidth={tok.penWidth} label={t('charsRedrawLabel', { n: k + 1 })} className="small" />
            ))}
          </div>
        </>
      )}
    </section>
  );
}
