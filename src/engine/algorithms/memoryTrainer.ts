import * as tf from '@tensorflow/tfjs';
import { readParams, toVariables, type ParamSpec, type ParamValues } from '../core/params';
import { GravesRmsProp } from './rmsprop';

/** What both memory trainers (the copy task and MANN) share: the optimiser settings of Graves (2013). */
export interface RmsPropSettings {
  lr: number;
  decay: number;
  momentum: number;
  clip: number;
}

/** Throws unless `p` holds exactly the tensors `specs` asks for (names, shapes and sizes). */
export function assertParamsFit(specs: readonly ParamSpec[], p: ParamValues): void {
  if (p.specs.length !== specs.length) throw new Error(`expected ${specs.length} parameter tensors, got ${p.specs.length}`);
  specs.forEach((s, i) => {
    const got = p.specs[i].shape;
    if (p.specs[i].name !== s.name || got.length !== s.shape.length || got.some((d, j) => d !== s.shape[j]))
      throw new Error(`parameter ${s.name}: expected shape [${s.shape}], got ${p.specs[i].name} [${got}]`);
    if (p.values[i].length !== s.shape.reduce((a, b) => a * b, 1)) throw new Error(`parameter ${s.name}: wrong number of values`);
  });
}

/**
 * Parameters as variables and one RMSProp step on a loss of them; the subclasses say which loss
 * on which fresh batch (the copy task's or MANN's).
 */
export abstract class RmsPropTrainer {
  protected readonly theta: tf.Variable[];
  private readonly optimizer: GravesRmsProp;
  steps = 0;

  protected constructor(
    readonly specs: ParamSpec[],
    initial: ParamValues,
    settings: RmsPropSettings,
    prefix: string,
  ) {
    assertParamsFit(specs, initial);
    this.theta = toVariables(initial, prefix);
    this.optimizer = new GravesRmsProp(settings.lr, settings.decay, settings.momentum, settings.clip);
  }

  /** One training step on a fresh batch; returns its loss (dispose it). */
  abstract step(): tf.Scalar;

  /** Differentiates `loss` with respect to the parameters and applies the update; returns the loss. */
  protected update(loss: () => tf.Scalar): tf.Scalar {
    const value = tf.tidy(() => {
      const { value, grads } = tf.variableGrads(loss, this.theta);
      this.optimizer.apply(this.theta, grads);
      return value;
    });
    this.steps++;
    return value;
  }

  get variables(): readonly tf.Variable[] {
    return this.theta;
  }

  params(): ParamValues {
    return readParams(this.specs, this.theta);
  }

  dispose(): void {
    this.theta.forEach((v) => v.dispose());
    this.optimizer.dispose();
  }
}
