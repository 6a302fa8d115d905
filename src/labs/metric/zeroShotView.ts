/** The zero-shot view's plain logic: editing attribute vectors and reading the relation scores. */

/** The attribute vectors [ways × A] with one bit (row, col) flipped; the input is left as it was. */
export function toggleAttribute(attributes: ArrayLike<number>, row: number, col: number, count: number): number[] {
  if (col < 0 || col >= count || row < 0 || (row + 1) * count > attributes.length) throw new RangeError(`no attribute ${col} of class row ${row}`);
  const out = Array.from(attributes);
  out[row * count + col] = out[row * count + col] > 0.5 ? 0 : 1;
  return out;
}

/** For each class row, whether its vector differs from the class's own. */
export function editedRows(original: ArrayLike<number>, attributes: ArrayLike<number>, count: number): boolean[] {
  const rows = Math.floor(original.length / count);
  return Array.from({ length: rows }, (_, r) => {
    for (let j = 0; j < count; j++) if (original[r * count + j] !== attributes[r * count + j]) return true;
    return false;
  });
}

/** Index of the highest score (the first on a tie); −1 for none. */
export function predictedClass(scores: ArrayLike<number>): number {
  let best = -1;
  for (let i = 0; i < scores.length; i++) if (best < 0 || scores[i] > scores[best]) best = i;
  return best;
}

/** The chance level of an N-way episode. */
export const chanceOf = (ways: number) => 1 / ways;
