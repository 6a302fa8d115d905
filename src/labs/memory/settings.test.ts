import { describe, expect, it } from 'vitest';
import { memoryLinkParams, parseMemoryLink } from './settings';

/**
 * Links in the format the lab wrote before its settings came from the engine's copy and MANN
 * schemas (both tasks, invalid values, an empty link), with what the old hand-written codec read.
 */
const OLD_LINKS: [string, ReturnType<typeof parseMemoryLink>][] = [
  ["task=copy&model=lstm&preset=large&controller=lstm&L=12&lr=0.001&batch=8&seed=3", {"task": "copy", "settings": {"model": "lstm", "preset": "large", "controller": "lstm", "maxLength": 12, "lr": 0.001, "batch": 8, "seed": 3}, "mann": {"preset": "small", "lr": 0.001, "batch": 4, "seed": 0}, "invalid": []}],
  ["task=omniglot&mannPreset=large&mannLr=0.0005&mannBatch=8&mannSeed=9", {"task": "omniglot", "settings": {"model": "ntm", "preset": "small", "controller": "ff", "maxLength": 5, "lr": 0.003, "batch": 16, "seed": 0}, "mann": {"preset": "large", "lr": 0.0005, "batch": 8, "seed": 9}, "invalid": []}],
  ["task=quiz&model=gru&preset=huge&controller=rnn&L=21&lr=0.5&batch=65&seed=1.5&mannPreset=x&mannLr=0&mannBatch=0&mannSeed=-2", {"task": "copy", "settings": {"model": "ntm", "preset": "small", "controller": "ff", "maxLength": 5, "lr": 0.003, "batch": 16, "seed": 0}, "mann": {"preset": "small", "lr": 0.001, "batch": 4, "seed": 0}, "invalid": ["task", "model", "preset", "controller", "L", "lr", "batch", "seed", "mannPreset", "mannLr", "mannBatch", "mannSeed"]}],
  ["task=copy&model=ntm&preset=small&controller=ff&L=5&lr=0.003&batch=16&seed=0&mannPreset=large&mannLr=0.002&mannBatch=4&mannSeed=1", {"task": "copy", "settings": {"model": "ntm", "preset": "small", "controller": "ff", "maxLength": 5, "lr": 0.003, "batch": 16, "seed": 0}, "mann": {"preset": "large", "lr": 0.002, "batch": 4, "seed": 1}, "invalid": []}],
  ["", {"task": "copy", "settings": {"model": "ntm", "preset": "small", "controller": "ff", "maxLength": 5, "lr": 0.003, "batch": 16, "seed": 0}, "mann": {"preset": "small", "lr": 0.001, "batch": 4, "seed": 0}, "invalid": []}],
];

describe('memory lab link', () => {
  it.each(OLD_LINKS)('reads the old link %j to the same task, settings and invalid names', (link, expected) => {
    expect(parseMemoryLink(new URLSearchParams(link))).toEqual(expected);
  });

  it('names what it cannot use: a value out of range and a name it does not know', () => {
    expect(parseMemoryLink(new URLSearchParams('L=9999&maxLength=9999')).invalid).toEqual(['L', 'maxLength']);
    expect(parseMemoryLink(new URLSearchParams('L=12&backend=cpu')).invalid).toEqual([]);
  });

  it.each(OLD_LINKS)('writes the link of either task that reads back to its settings (%j)', (link) => {
    const { settings, mann } = parseMemoryLink(new URLSearchParams(link));
    const copy = parseMemoryLink(memoryLinkParams('copy', settings, mann));
    expect(copy).toMatchObject({ task: 'copy', settings, invalid: [] });
    const omniglot = parseMemoryLink(memoryLinkParams('omniglot', settings, mann));
    expect(omniglot).toMatchObject({ task: 'omniglot', mann, invalid: [] });
  });

  it('writes the task on screen only, with the same link names as before', () => {
    const { settings, mann } = parseMemoryLink(new URLSearchParams(OLD_LINKS[3][0]));
    expect(memoryLinkParams('copy', settings, mann).toString()).toBe("task=copy&model=ntm&preset=small&controller=ff&L=5&lr=0.003&batch=16&seed=0");
    expect(memoryLinkParams('omniglot', settings, mann).toString()).toBe("task=omniglot&mannPreset=large&mannLr=0.002&mannBatch=4&mannSeed=1");
  });
});
