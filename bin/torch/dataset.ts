/**
 * The character data set both PyTorch helper scripts read (export-characters.ts, import-checkpoint.ts):
 * every alphabet of the --train zips as the background split, and the alphabets of the --eval zips
 * that the --train zips do not hold as the evaluation split (the shared subsets overlap in Greek and
 * Latin), as the CLI's --eval-data does.
 */
import { readOmniglotPath } from '../../src/cli/commands/data';
import { asEvaluation } from '../../src/cli/commands/trainOmniglot';
import { omniglotDataset, type CharacterDataset, type OmniglotArchive } from '../../src/engine/tasks/characters';

const asBackground = (a: OmniglotArchive): OmniglotArchive => ({
  ...a,
  images: a.images.map((x) => ({ ...x, split: 'background' as const })),
  strokes: a.strokes.map((x) => ({ ...x, split: 'background' as const })),
});

export function trainEvalDataset(trainPaths: readonly string[], evalPaths: readonly string[], size: number): CharacterDataset {
  const train = trainPaths.map((p) => asBackground(readOmniglotPath(p, size)));
  return omniglotDataset([...train, ...evalPaths.map((p) => asEvaluation(readOmniglotPath(p, size), train))]);
}
