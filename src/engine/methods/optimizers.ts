import { defineMethod } from '../settings/method';
import { LSTM_OPTIMIZER_SCHEMA, type LstmOptimizerConfig } from '../algorithms/optimizers/config';

/** Learned optimisers (issue #13): the coordinatewise LSTM of Andrychowicz et al. (2016), meta-trained on an optimisee family. */
export const OPTIMIZER_METHODS = [
  defineMethod<'lstm-optimizer', 'optimizer', unknown, LstmOptimizerConfig>({ id: 'lstm-optimizer', family: 'optimizer', task: 'quadratic', settings: LSTM_OPTIMIZER_SCHEMA }),
];
