import { drawnEpisode, type Episode } from '../../engine/tasks/characters';
import type { OmniglotAlgorithm } from '../../engine/algorithms/omniglotConfig';
import { ImageGrid } from '../../ui/components/ImageGrid';
import { CheckpointFileInput, loadShippedCheckpoints } from '../../ui/components/labPage';
import { useApp, type Translate } from '../../ui/store';
import type { DrawnResult, FamilySettings } from '../../worker/familyProtocol';
import { ALGORITHM_NAME } from './familyAlgorithms';
import { RIGHT, WRONG } from './familyColours';
import { useChars } from './store';
import { episodeProblem, toDrawingSet } from './userSet';

/**
 * The family card's trained nets (issue 16): the checkpoints meta-trained with the CLI on the
 * Omniglot subsets that ship in public/examples, or a checkpoint file, loaded into the card's
 * worker; and the user's own drawn episode, adapted to and classified by the card's net.
 */

/** The algorithms with a shipped checkpoint, `<algorithm>-omniglot.json`. */
export const SHIPPED: readonly OmniglotAlgorithm[] = ['maml', 'fomaml', 'metasgd', 'reptile'];
export const shippedFile = (a: OmniglotAlgorithm) => `${a}-omniglot.json`;

/** What the worker said it loaded. */
export interface Loaded {
  fileName: string;
  algorithm: OmniglotAlgorithm;
  step: number;
  settings: FamilySettings;
}

/** "Load the trained <algorithm>" (where one ships), "Load a checkpoint file…", and what was loaded. */
export function TrainedControls({ t, algorithm, disabled, loaded, load }: { t: Translate; algorithm: OmniglotAlgorithm; disabled: boolean; loaded: Loaded | null; load: (text: string, fileName: string) => void }) {
  const alg = (a: OmniglotAlgorithm) => t(ALGORITHM_NAME[a]);
  const s = loaded?.settings;
  return (
    <>
      <div className="buttons">
        {SHIPPED.includes(algorithm) && (
          <button type="button" className="primary" disabled={disabled} title={t('famLoadTrainedTitle')} data-testid="fam-load-trained" onClick={() => void loadShippedCheckpoints([shippedFile(algorithm)], load)}>
            {t('famLoadTrained', { alg: alg(algorithm) })}
          </button>
        )}
        <CheckpointFileInput t={t} onFile={async (f) => load(await f.text().catch(() => ''), f.name)} />
      </div>
      {loaded && s && (
        <p className="help" role="status" data-testid="fam-loaded" data-algorithm={loaded.algorithm} data-step={loaded.step} data-file={loaded.fileName}>
          {t('famLoaded', { file: loaded.fileName, alg: alg(loaded.algorithm), steps: loaded.step, n: s.ways, k: s.shots, width: s.width, alpha: s.alpha, inner: s.innerSteps })}{' '}
          {loaded.fileName === shippedFile(loaded.algorithm) && <>{t('famLoadedShipped')} </>}
          {t('famLoadedCompare')}
        </p>
      )}
    </>
  );
}

/** The user's current hand-built episode as images, or null after saying what is missing. */
export function currentDrawnEpisode(): Episode | null {
  const { user, centre } = useChars.getState();
  const problem = episodeProblem(user);
  if (problem) {
    useApp.getState().notify({ level: 'warning', key: problem.key, params: problem.params });
    return null;
  }
  const { file, index } = toDrawingSet(user);
  return drawnEpisode(file, index[user.current], { centre });
}

/** What the card keeps of the episode it sent: the query drawings and the class names. */
export interface DrawnShown {
  imageSize: number;
  query: Float32Array;
  names: string[];
  result: DrawnResult | null;
}

/** "Classify my drawn episode" and the adapted net's label of each query drawing. */
export function DrawnEpisodePanel({ t, disabled, shown, classify }: { t: Translate; disabled: boolean; shown: DrawnShown | null; classify: () => void }) {
  const r = shown?.result;
  const right = r ? r.predictions.reduce((n, p, i) => n + (p === r.queryLabels[i] ? 1 : 0), 0) : 0;
  return (
    <>
      <h3>{t('famDrawnTitle')}</h3>
      <p className="help">{t('famDrawnHelp')}</p>
      <div className="buttons">
        <button type="button" disabled={disabled} data-testid="fam-classify-drawn" onClick={classify}>
          {t('famClassifyDrawn')}
        </button>
      </div>
      {shown && r && (
        <div data-testid="fam-drawn" data-step={r.step} data-count={r.predictions.length} data-right={right} data-predicted={Array.from(r.predictions).join(',')}>
          <p className="fam-accuracy" role="status">
            {t('famDrawnResult', { steps: r.adaptSteps, step: r.step, right, total: r.predictions.length })}
          </p>
          <ImageGrid
            pixels={shown.query}
            scale={1}
            imageSize={shown.imageSize}
            images={Array.from(r.predictions, (_, i) => i)}
            cell={40}
            columns={Math.min(10, r.predictions.length)}
            marks={Array.from(r.predictions, (p, i) => (p === r.queryLabels[i] ? RIGHT : WRONG))}
            arrowKeys={false}
            label={t('famDrawnTitle')}
          />
          <ol className="help">
            {Array.from(r.predictions, (p, i) => (
              <li key={i}>
                {shown.names[r.queryLabels[i]]} {t('famDrawnPredicted', { name: shown.names[p] ?? String(p) })}
              </li>
            ))}
          </ol>
        </div>
      )}
    </>
  );
}
