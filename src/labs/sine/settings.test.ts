import { describe, expect, it } from 'vitest';
import { en } from '../../i18n/messages';
import { parseLink, TASK_SCHEMA, toLinkParams } from './settings';

/**
 * Links in the format the lab wrote before its settings came from the engine's schema (every
 * field, invalid values, an empty link), with what the old hand-written codec read from them.
 */
const OLD_LINKS: [string, ReturnType<typeof parseLink>][] = [
  ["alg=reptile&k=5&alpha=0.02&inner=5&metaLr=0.001&metaBatch=25&firstOrder=0&seed=7&eps=1&reptile=serial&innerOpt=adam&ctxAlpha=1&lambda=0.1&measure=theil&amp=2.50&phase=1.20", {"settings": {"algorithm": "reptile", "k": 5, "alpha": 0.02, "innerSteps": 5, "metaLr": 0.001, "metaBatch": 25, "firstOrder": false, "seed": 7, "epsilon": 1, "reptileMode": "serial", "innerOptimizer": "adam", "contextAlpha": 1, "tamlLambda": 0.1, "tamlMeasure": "theil"}, "task": {"amplitude": 2.5, "phase": 1.2}, "invalid": []}],
  ["alg=taml&k=10&alpha=0.01&inner=1&metaLr=0.0005&metaBatch=10&firstOrder=1&seed=0&eps=0.1&reptile=batched&innerOpt=sgd&ctxAlpha=0.5&lambda=0.3&measure=gini&amp=4.90&phase=3.14", {"settings": {"algorithm": "taml", "k": 10, "alpha": 0.01, "innerSteps": 1, "metaLr": 0.0005, "metaBatch": 10, "firstOrder": true, "seed": 0, "epsilon": 0.1, "reptileMode": "batched", "innerOptimizer": "sgd", "contextAlpha": 0.5, "tamlLambda": 0.3, "tamlMeasure": "gini"}, "task": {"amplitude": 4.9, "phase": 3.14}, "invalid": []}],
  ["alg=pretrain&k=0&alpha=-1&inner=6&metaLr=0&metaBatch=1.5&firstOrder=yes&seed=-1&eps=3&reptile=x&innerOpt=rms&ctxAlpha=101&lambda=11&measure=none&amp=9&phase=", {"settings": {"algorithm": "maml", "k": 10, "alpha": 0.01, "innerSteps": 1, "metaLr": 0.001, "metaBatch": 25, "firstOrder": false, "seed": 0, "epsilon": 0.1, "reptileMode": "batched", "innerOptimizer": "sgd", "contextAlpha": 1, "tamlLambda": 0.1, "tamlMeasure": "theil"}, "task": {"amplitude": 3, "phase": 1}, "invalid": ["alg", "k", "alpha", "inner", "metaLr", "metaBatch", "firstOrder", "seed", "eps", "reptile", "innerOpt", "ctxAlpha", "lambda", "measure", "amp", "phase"]}],
  ["alg=caml&k=100&ctxAlpha=2&amp=0.1&phase=0", {"settings": {"algorithm": "caml", "k": 100, "alpha": 0.01, "innerSteps": 1, "metaLr": 0.001, "metaBatch": 25, "firstOrder": false, "seed": 0, "epsilon": 0.1, "reptileMode": "batched", "innerOptimizer": "sgd", "contextAlpha": 2, "tamlLambda": 0.1, "tamlMeasure": "theil"}, "task": {"amplitude": 0.1, "phase": 0}, "invalid": []}],
  ["", {"settings": {"algorithm": "maml", "k": 10, "alpha": 0.01, "innerSteps": 1, "metaLr": 0.001, "metaBatch": 25, "firstOrder": false, "seed": 0, "epsilon": 0.1, "reptileMode": "batched", "innerOptimizer": "sgd", "contextAlpha": 1, "tamlLambda": 0.1, "tamlMeasure": "theil"}, "task": {"amplitude": 3, "phase": 1}, "invalid": []}],
];

describe('sine lab link', () => {
  it.each(OLD_LINKS)('reads the old link %j to the same settings, task and invalid names', (link, expected) => {
    expect(parseLink(new URLSearchParams(link))).toEqual(expected);
  });

  it.each(OLD_LINKS)('writes a link that reads back to the same settings (%j)', (link) => {
    const { settings, task } = parseLink(new URLSearchParams(link));
    expect(parseLink(toLinkParams(settings, task))).toEqual({ settings, task, invalid: [] });
  });

  it('keeps the link names and their order', () => {
    const { settings, task } = parseLink(new URLSearchParams(OLD_LINKS[1][0]));
    expect(toLinkParams(settings, task).toString()).toBe('alg=taml&k=10&alpha=0.01&inner=1&metaLr=0.0005&metaBatch=10&firstOrder=1&seed=0&eps=0.1&reptile=batched&innerOpt=sgd&ctxAlpha=0.5&lambda=0.3&measure=gini&amp=4.9&phase=3.14');
  });

  it('names a message for each task field', () => {
    for (const f of Object.values(TASK_SCHEMA)) expect(en).toHaveProperty(f.help);
  });
});
