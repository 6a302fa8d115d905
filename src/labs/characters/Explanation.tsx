import type { Translate } from '../../ui/store';

/** What the page teaches, in a few paragraphs: the data, the splits, episodes, rasterization. */
export function Explanation({ t }: { t: Translate }) {
  return (
    <section className="card explanation" data-testid="explanation">
      <h2>{t('explanationTitle')}</h2>
      <h3>{t('charsExplainDataTitle')}</h3>
      <p>{t('charsExplainData')}</p>
      <h3>{t('charsExplainSplitTitle')}</h3>
      <p>{t('charsExplainSplit')}</p>
      <h3>{t('charsExplainEpisodeTitle')}</h3>
      <p>{t('charsExplainEpisode')}</p>
      <h3>{t('charsExplainPixelsTitle')}</h3>
      <p>{t('charsExplainPixels')}</p>
    </section>
  );
}
