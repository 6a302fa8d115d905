/**
 * Messages between the characters lab's "gradient-based family" card and its training worker
 * (issue #6). The page sends the character data (the atlas it already holds) and commands; the
 * worker trains the conv net and sends losses, accuracies and the clean / FGSM view of an episode.
 */
import type { FamilySettings } from '../engine/algorithms/omniglotConfig';
import type { OmniglotAlgorithm } from '../engine/algorithms/omniglotConfig';
import type { AlphabetMeta, CharacterMeta, Episode } from '../engine/tasks/characters';
import type { HostCommand, HostEvent, SnapshotBase } from './hostProtocol';

export type FamilySource = 'synthetic' | 'omniglot';

/** The card's settings: the episode family schema's link fields (engine/algorithms/omniglotConfig.ts). */
export type { FamilySettings } from '../engine/algorithms/omniglotConfig';

/** What the sampler needs of a data set: the atlas and the character / alphabet tables. */
export interface FamilyData {
  source: FamilySource;
  imageSize: number;
  alphabets: AlphabetMeta[];
  characters: CharacterMeta[];
  /** Transferred (a copy of the page's atlas). */
  pixels: Uint8Array;
}

/**
 * The card's own commands: the data to train on (a new data set restarts training), the FGSM step,
 * another episode, and the user's drawn episode to adapt to and classify (its images transferred).
 */
export type FamilyCommand =
  | { type: 'data'; data: FamilyData }
  /** The FGSM step of the images shown; for ADML also of its training from the next step. */
  | { type: 'epsilon'; epsilon: number }
  | { type: 'newEpisode' }
  | { type: 'classifyDrawn'; episode: Episode };

export type ToFamilyWorker = HostCommand<FamilySettings> | FamilyCommand;

/** One evaluation episode as the worker shows it: clean and attacked images, labels, predictions. */
export interface FamilyView {
  step: number;
  epsilon: number;
  imageSize: number;
  nWay: number;
  kShot: number;
  qQuery: number;
  support: Float32Array;
  query: Float32Array;
  supportAdv: Float32Array;
  queryAdv: Float32Array;
  queryLabels: Int32Array;
  cleanPredictions: Int32Array;
  advPredictions: Int32Array;
  cleanAccuracy: number;
  advAccuracy: number;
  /** DAML: the clean accuracy without its learned-loss steps (labelled steps only). */
  labelledOnlyAccuracy?: number;
  /** Adaptation steps before classifying the queries. */
  adaptSteps: number;
  classes: string[];
}

export type FromFamilyWorker =
  | HostEvent
  | { type: 'ready'; source: FamilySource; evalSplit: 'evaluation' | 'background'; settings: FamilySettings }
  | (SnapshotBase & {
      /** Meta-losses of the steps since the previous snapshot. */
      losses: number[];
      /** A new point of the accuracy curves (mean over the fixed evaluation episodes; DAML also without its learned-loss steps). */
      accuracy?: { step: number; clean: number; adversarial: number; labelledOnly?: number };
    })
  | { type: 'view'; view: FamilyView }
  /** A checkpoint replaced the net: the card takes its settings (training from here continues it). */
  | { type: 'checkpointLoaded'; fileName: string; algorithm: OmniglotAlgorithm; step: number; settings: FamilySettings }
  /** The drawn episode after adapting: each query drawing's predicted label. */
  | { type: 'drawnResult'; result: DrawnResult };

/** The user's drawn episode classified by the net after its adaptation steps. */
export interface DrawnResult {
  /** Outer steps of the net that adapted. */
  step: number;
  adaptSteps: number;
  nWay: number;
  predictions: Int32Array;
  queryLabels: Int32Array;
  accuracy: number;
}
