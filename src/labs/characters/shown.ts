import { SPLITS, type Split } from '../../engine/tasks/characters';
import type { PageDataset } from '../../worker/charactersData';

/** How the cards show the dataset: names as written on screen, and the split on display. */

/** Alphabet names as written on screen: Omniglot's folder names use underscores for spaces. */
export const displayName = (name: string) => name.replace(/_/g, ' ');

/** A class's name, with its rotation when it is an augmented copy. */
export function className(name: string, rotation: number): string {
  return rotation ? `${name} ↻${rotation}°` : name;
}

/** The split to show: the one asked for if it has alphabets, else the other. */
export function shownSplit(ds: PageDataset | null, wanted: Split): Split {
  if (!ds) return wanted;
  const has = (s: Split) => ds.alphabets.some((a) => a.split === s);
  return has(wanted) ? wanted : (SPLITS.find(has) ?? wanted);
}
