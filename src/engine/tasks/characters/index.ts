/**
 * Characters: Omniglot-format strokes, rasterization, the real Omniglot zips, BPL-style synthetic
 * alphabets, drawing parses and the few-shot episode sampler. DOM-free: Node and workers alike.
 */
export * from './strokes';
export * from './rasterize';
export * from './spline';
export * from './dataset';
export * from './datasetTransforms';
export * from './drawingSet';
export * from './omniglotZip';
export * from './primitives';
export * from './alphabets';
export * from './characterType';
export * from './tokens';
export * from './synthetic';
export * from './parse';
export * from './sampler';
