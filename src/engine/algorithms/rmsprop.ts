import * as tf from '@tensorflow/tfjs';

/**
 * RMSProp as Graves (2013, eqs. 38–41) uses it for the NTM and for recurrent networks: centred
 * (the running mean gradient is subtracted) and with momentum,
 *   n ← ℵ n + (1 − ℵ) ε²,   ḡ ← ℵ ḡ + (1 − ℵ) ε,   Δ ← ℶ Δ − lr · ε / √(n − ḡ² + ℷ),   w ← w + Δ
 * with decay ℵ = 0.95, momentum ℶ = 0.9 and ℷ = 1e-4, every gradient entry ε first clipped to ±clip.
 * (tf.train.rmsprop's centred form subtracts its ε under the root, which gives NaN for zero gradients.)
 */
export class GravesRmsProp {
  private readonly slots = new Map<string, { n: tf.Variable; g: tf.Variable; delta: tf.Variable }>();

  constructor(
    readonly lr: number,
    readonly decay = 0.95,
    readonly momentum = 0.9,
    readonly clip = 10,
    readonly epsilon = 1e-4,
  ) {}

  /** Applies one update to each variable from its gradient (gradients are not disposed). */
  apply(variables: readonly tf.Variable[], grads: Record<string, tf.Tensor>): void {
    tf.tidy(() => {
      for (const v of variables) {
        const raw = grads[v.name];
        if (!raw) continue;
        let s = this.slots.get(v.name);
        if (!s) {
          s = { n: tf.variable(tf.zerosLike(v), false), g: tf.variable(tf.zerosLike(v), false), delta: tf.variable(tf.zerosLike(v), false) };
          this.slots.set(v.name, s);
        }
        const e = tf.clipByValue(raw, -this.clip, this.clip);
        const n = tf.add(tf.mul(this.decay, s.n), tf.mul(1 - this.decay, tf.square(e)));
        const g = tf.add(tf.mul(this.decay, s.g), tf.mul(1 - this.decay, e));
        const delta = tf.sub(tf.mul(this.momentum, s.delta), tf.div(tf.mul(this.lr, e), tf.sqrt(tf.add(tf.sub(n, tf.square(g)), this.epsilon))));
        s.n.assign(n);
        s.g.assign(g);
        s.delta.assign(delta);
        v.assign(tf.add(v, delta));
      }
    });
  }

  dispose(): void {
    for (const s of this.slots.values()) {
      s.n.dispose();
      s.g.dispose();
      s.delta.dispose();
    }
    this.slots.clear();
  }
}
