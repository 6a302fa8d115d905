import type { Translate } from '../../ui/store';
import { AssignmentBars, AttentionBars, EmbeddingPlot, EpisodeImages, QueryReason, RelationHeatmap } from './EmbeddingView';
import { useMetricLab } from './store';

type T = Translate;

/** The episode on screen: its embedding in 2-D, the images, why the chosen query was classified as it was, and the method's own view (attention, relation scores, soft assignments). */
export function EmbeddingCard({ t, onEpisode }: { t: T; onEpisode: (shuffleOnly: boolean) => void }) {
  const view = useMetricLab((s) => s.embedding);
  const method = useMetricLab((s) => s.settings.method);
  const fce = useMetricLab((s) => s.settings.fce);
  const preparing = useMetricLab((s) => s.preparing);
  const stale = view !== null && view.method !== method;
  return (
    <section className="card" data-testid="embedding-card">
      <h2>{t('metricEmbeddingTitle')}</h2>
      <p className="help">{t('metricEmbeddingHelp')}</p>
      {view === null ? (
        <p className="help busy-note">{preparing ? t('metricPreparing') : t('metricWaiting')}</p>
      ) : (
        <>
          <div className={`embedding-layout${stale ? ' stale' : ''}`}>
            <div className="embedding-figure">
              <EmbeddingPlot t={t} view={view} />
              <p className="help small" dir="auto">
                {t('metricEmbeddingCaption', { step: view.step, explained: (100 * view.explained).toFixed(0) })}
              </p>
            </div>
            <div className="embedding-side">
              <EpisodeImages t={t} view={view} />
              <QueryReason t={t} view={view} />
            </div>
          </div>
          <div className="buttons">
            <button type="button" data-testid="next-episode" onClick={() => onEpisode(false)}>
              {t('metricNextEpisode')}
            </button>
            {method === 'matching' && (
              <button type="button" data-testid="shuffle-support" onClick={() => onEpisode(true)} title={fce ? t('metricShuffleFceHelp') : t('metricShuffleNoFceHelp')}>
                {t('metricShuffleSupport')}
              </button>
            )}
          </div>
          {method === 'matching' && <p className="help small">{fce ? t('metricShuffleFceHelp') : t('metricShuffleNoFceHelp')}</p>}
          <AttentionBars t={t} view={view} />
          <RelationHeatmap t={t} view={view} />
          <AssignmentBars t={t} view={view} />
          <div className="legend embedding-legend">
            <span>● {t('metricLegendSupport')}</span>
            <span>○ {t('metricLegendQuery')}</span>
            {view.prototypes2d && <span>★ {t('metricLegendPrototype')}</span>}
            {view.ellipses && <span>◯ {t('metricLegendRegion')}</span>}
            {view.unlabeled2d && <span>□ {t('metricLegendUnlabeled')}</span>}
          </div>
        </>
      )}
    </section>
  );
}
