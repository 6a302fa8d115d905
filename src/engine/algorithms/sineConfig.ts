// Settings of the sine lab's algorithms, free of tfjs so the page can import them cheaply.

/** The algorithms of the sine lab. Each turns a meta-batch into a loss and a meta-gradient. */
export const SINE_ALGORITHMS = ['maml', 'pretrain'] as const;
export type SineAlgorithm = (typeof SINE_ALGORITHMS)[number];

export interface SineConfig {
  algorithm: SineAlgorithm;
  /** Support points per task (K-shot). The query set has as many points (Finn et al.). */
  k: number;
  /** Inner-loop learning rate α. */
  alpha: number;
  /** Inner steps used during meta-training. */
  innerSteps: number;
  /** Adam learning rate β of the outer loop. */
  metaLr: number;
  metaBatch: number;
  /** MAML only: drop the second-order terms (first-order MAML). */
  firstOrder: boolean;
  hidden: number[];
  seed: number;
}

export const DEFAULT_SINE_CONFIG: SineConfig = {
  algorithm: 'maml',
  k: 10,
  alpha: 0.01,
  innerSteps: 1,
  metaLr: 1e-3,
  metaBatch: 25,
  firstOrder: false,
  hidden: [40, 40],
  seed: 0,
};

