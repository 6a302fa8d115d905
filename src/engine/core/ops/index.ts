/**
 * Second-order-safe differentiable ops (issue #3): the ops every model meta-trained through an
 * inner gradient step (MAML, Meta-SGD, CAML, ADML, learned optimizers) must use, because stock
 * tfjs gradients of exp, sigmoid, tanh, softmax, conv2d, pooling and batch norm are missing or
 * wrong at second order. Already safe in stock tfjs (use them directly): add, sub, mul, div,
 * matMul, square, sqrt, log, sin, cos, abs, relu, reshape, transpose, slice, pad, concat, sum, mean.
 */
export { customOp, detached } from './custom';
export {
  exp,
  sigmoid,
  tanh,
  softplus,
  logSumExp,
  softmax,
  logSoftmax,
  softmaxCrossEntropy,
  meanSoftmaxCrossEntropy,
  sigmoidCrossEntropy,
} from './elementwise';
export {
  conv2d,
  conv2dBackpropInput,
  conv2dBackpropFilter,
  convAxis,
  setFilterGradStrategy,
  type ConvPadding,
  type Strides,
  type FilterGradStrategy,
} from './conv';
export { maxPool2d, avgPool2d } from './pool';
export { batchNorm, layerNorm } from './norm';
export { lstmCell, type LstmState } from './lstm';
export {
  checkOp,
  formatGradCheck,
  fdGradient,
  fdHvp,
  fdDirectional,
  maxRelErr,
  GRADCHECK_TOLERANCE,
  OP_CHECK_GROUPS,
  type GradCheckResult,
  type OpCheck,
  type InputSpec,
  type GradCheckReport,
  type OpCheckGroup,
  type ScalarFn64,
} from './gradcheck';
export { runOpChecks, listOpChecks, type OpCheckOptions } from './opChecks';
