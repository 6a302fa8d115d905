import { describe, expect, it } from 'vitest';
import { en } from '../../i18n/messages';
import { LANDSCAPE_SCHEMA, landscapeLinkParams, parseLandscapeLink } from './settings';

/**
 * Links in the format the lab wrote before its settings came from a schema (every field, invalid
 * values, an empty list, an empty link), with what the old hand-written codec read from them.
 */
const OLD_LINKS: [string, ReturnType<typeof parseLandscapeLink>][] = [
  ["w=-2&b=-2&alpha=0.25&k=2&beta=0.1&eps=0.5&algs=pretrain,maml,fomaml,reptile&bg=none&rt=0&arrow=3&sep=4&a2=0.3&eps1=0.45&shape=quadratic", {"settings": {"theta": [-2, -2], "alpha": 0.25, "k": 2, "beta": 0.1, "epsilon": 0.5, "algs": ["pretrain", "maml", "fomaml", "reptile"], "bg": "none", "reptileTask": 0, "arrowScale": 3, "sep": 4, "a2": 0.3, "eps1": 0.45, "shape": "quadratic"}, "invalid": []}],
  ["w=1.234&b=-0.5&alpha=0.7&k=5&beta=0.05&eps=1.5&algs=maml,reptile&bg=maml&rt=2&arrow=10&sep=6.5&a2=1.2&eps1=1&shape=cauchy", {"settings": {"theta": [1.234, -0.5], "alpha": 0.7, "k": 5, "beta": 0.05, "epsilon": 1.5, "algs": ["maml", "reptile"], "bg": "maml", "reptileTask": 2, "arrowScale": 10, "sep": 6.5, "a2": 1.2, "eps1": 1, "shape": "cauchy"}, "invalid": []}],
  ["w=4&b=-3.5&alpha=2&k=6&beta=-1&eps=3&algs=maml,foo&bg=x&rt=3&arrow=0&sep=9&a2=0.01&eps1=2.5&shape=round", {"settings": {"theta": [-2, -2], "alpha": 0.25, "k": 2, "beta": 0.1, "epsilon": 0.5, "algs": ["pretrain", "fomaml", "maml", "reptile", "metasgd", "maml-ga"], "bg": "none", "reptileTask": 0, "arrowScale": 3, "sep": 4, "a2": 0.3, "eps1": 0.45, "shape": "quadratic"}, "invalid": ["algs", "w", "b", "alpha", "k", "beta", "eps", "bg", "rt", "arrow", "sep", "a2", "eps1", "shape"]}],
  ["algs=&k=1.5&w=", {"settings": {"theta": [-2, -2], "alpha": 0.25, "k": 2, "beta": 0.1, "epsilon": 0.5, "algs": [], "bg": "none", "reptileTask": 0, "arrowScale": 3, "sep": 4, "a2": 0.3, "eps1": 0.45, "shape": "quadratic"}, "invalid": ["w", "k"]}],
  ["", {"settings": {"theta": [-2, -2], "alpha": 0.25, "k": 2, "beta": 0.1, "epsilon": 0.5, "algs": ["pretrain", "fomaml", "maml", "reptile", "metasgd", "maml-ga"], "bg": "none", "reptileTask": 0, "arrowScale": 3, "sep": 4, "a2": 0.3, "eps1": 0.45, "shape": "quadratic"}, "invalid": []}],
];

describe('landscape lab link', () => {
  it.each(OLD_LINKS)('reads the old link %j to the same settings and invalid names', (link, expected) => {
    expect(parseLandscapeLink(new URLSearchParams(link))).toEqual(expected);
  });

  it.each(OLD_LINKS)('writes a link that reads back to the same settings (%j)', (link) => {
    const { settings } = parseLandscapeLink(new URLSearchParams(link));
    expect(parseLandscapeLink(landscapeLinkParams(settings))).toEqual({ settings, invalid: [] });
  });

  it('names a link name it does not know instead of dropping it without a word', () => {
    expect(parseLandscapeLink(new URLSearchParams('theta=foo&w=1')).invalid).toEqual(['theta']);
    expect(parseLandscapeLink(new URLSearchParams('theta=foo&k=9')).invalid).toEqual(['k', 'theta']);
  });

  it('writes θ first and rounds to three decimals, as before', () => {
    const { settings } = parseLandscapeLink(new URLSearchParams(OLD_LINKS[1][0]));
    expect(landscapeLinkParams({ ...settings, theta: [1.23456, -0.5] }).toString()).toBe("w=1.235&b=-0.5&alpha=0.7&k=5&beta=0.05&eps=1.5&algs=maml%2Creptile&bg=maml&rt=2&arrow=10&sep=6.5&a2=1.2&eps1=1&shape=cauchy");
  });

  it('names a message for every field', () => {
    for (const f of Object.values(LANDSCAPE_SCHEMA)) expect(en).toHaveProperty(f.help);
  });
});
