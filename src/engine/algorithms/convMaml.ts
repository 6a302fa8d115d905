import * as tf from '@tensorflow/tfjs';
import { meanSoftmaxCrossEntropy } from '../core/ops/elementwise';
import { convNetForward } from '../models/convNet';
import type { ConvEpisode } from '../tasks/convEpisodes';
import { innerLoop } from './innerLoop';

/*
 * MAML's meta-gradient for the 4-block conv net (issue #3), the piece that MAML, first-order MAML
 * and MAML with gradient agreement on episodes share, and that the op checker and the benchmark
 * measure.
 */

export interface ConvMamlOptions {
  /** Inner-loop learning rate α. */
  alpha: number;
  innerSteps: number;
  /** First-order MAML: the meta-gradient is the query gradient at the adapted weights. */
  firstOrder?: boolean;
}

const crossEntropy = (logits: tf.Tensor2D, labels: tf.Tensor2D): tf.Scalar => meanSoftmaxCrossEntropy(labels, logits);

/** θ' after `innerSteps` SGD steps on the task's support set. */
function adapt(theta: readonly tf.Tensor[], episode: ConvEpisode, opts: ConvMamlOptions): tf.Tensor[] {
  return innerLoop(convNetForward, crossEntropy, theta, episode.support.x, episode.support.y, { alpha: opts.alpha, steps: opts.innerSteps });
}

/** The MAML meta-loss: mean over tasks of the query cross-entropy after adapting on the support set. */
export function convMamlLoss(theta: readonly tf.Tensor[], tasks: readonly ConvEpisode[], opts: ConvMamlOptions): tf.Scalar {
  return tf.tidy(() => {
    const losses = tasks.map((t) => crossEntropy(convNetForward(adapt(theta, t, opts), t.query.x), t.query.y));
    return tf.mean(tf.stack(losses)) as tf.Scalar;
  });
}

/**
 * MAML meta-gradient of the conv net over a batch of tasks: the loss of convMamlLoss and its
 * gradient wrt θ (same order as θ). The caller disposes both. It computes the gradients itself:
 * call it outside any tf.grads / tf.variableGrads and apply the result with
 * optimizer.applyGradients (θ may be tf.Variables).
 *
 * Second-order (default): each task's adaptation runs on the tape, so the gradient flows through
 * the inner gradient step (Hessian-vector products of the support loss, all with safe ops).
 * First-order: adaptation runs off the tape and the gradient is the query gradient at θ'; no
 * zero gradients are pushed back through the inner step, so it is the honest baseline cost.
 *
 * Tasks are processed in a loop, not batched along a task axis like the MLP: each task has its own
 * fast filters after the first inner step, and tfjs has no grouped convolution, so batching them
 * would mean block-diagonal filters (T× the FLOPs) or depthwise tricks without native fast paths.
 * The loop costs no extra arithmetic (a conv over N images is the same work as N/T-image convs
 * T times), batch norm is per task anyway, and it holds only one task's double-backward graph in
 * memory at a time (the per-task gradients are summed as they come).
 */
export function convMamlMetaGradient(
  theta: readonly tf.Tensor[],
  tasks: readonly ConvEpisode[],
  opts: ConvMamlOptions,
): { loss: tf.Scalar; grads: tf.Tensor[] } {
  if (tasks.length === 0) throw new Error('convMamlMetaGradient needs at least one task');
  let lossSum: tf.Tensor = tf.scalar(0);
  let gradSum: tf.Tensor[] = theta.map((p) => tf.zerosLike(p));
  for (const task of tasks) {
    const { value, grads } = tf.tidy(() => {
      const queryLoss = (...p: tf.Tensor[]) => crossEntropy(convNetForward(p, task.query.x), task.query.y);
      if (opts.firstOrder) {
        const fast = adapt(theta, task, opts);
        return tf.valueAndGrads(queryLoss)(fast);
      }
      return tf.valueAndGrads((...p: tf.Tensor[]) => queryLoss(...adapt(p, task, opts)))([...theta]);
    });
    const nextLoss = tf.add(lossSum, value);
    const nextGrads = gradSum.map((g, i) => tf.add(g, grads[i]));
    tf.dispose([lossSum, value, ...gradSum, ...grads]);
    lossSum = nextLoss;
    gradSum = nextGrads;
  }
  const n = tasks.length;
  const loss = tf.div(lossSum, n) as tf.Scalar;
  const grads = gradSum.map((g) => tf.div(g, n));
  tf.dispose([lossSum, ...gradSum]);
  return { loss, grads };
}
