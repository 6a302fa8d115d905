import { memo, useMemo } from 'react';
import { ImageGrid } from '../../ui/components/ImageGrid';
import { useApp, type Translate } from '../../ui/store';
import type { FamilyView } from '../../worker/familyProtocol';
import { QUERY_COLOUR, SUPPORT_COLOUR } from './colours';
import { RIGHT, WRONG } from './familyColours';

/** Rows: classes; per row the support images, then the query images. Three panels: clean, FGSM, perturbation. */
export const AdversarialView = memo(function AdversarialView({ t, view }: { t: Translate; view: FamilyView }) {
  const presentation = useApp((s) => s.presentation);
  const cell = presentation ? 40 : 30;
  const { nWay: n, kShot: k, qQuery: q, imageSize } = view;
  const cols = k + q;
  const layout = useMemo(() => {
    const px = imageSize * imageSize;
    const total = n * cols;
    const clean = new Float32Array(total * px);
    const adv = new Float32Array(total * px);
    const delta = new Float32Array(total * px);
    const marksClean: string[] = [];
    const marksAdv: string[] = [];
    const place = (from: Float32Array, fromIndex: number, to: Float32Array, at: number) => to.set(from.subarray(fromIndex * px, (fromIndex + 1) * px), at * px);
    for (let c = 0; c < n; c++)
      for (let j = 0; j < cols; j++) {
        const at = c * cols + j;
        const isSupport = j < k;
        const idx = isSupport ? c * k + j : c * q + (j - k);
        place(isSupport ? view.support : view.query, idx, clean, at);
        place(isSupport ? view.supportAdv : view.queryAdv, idx, adv, at);
        marksClean.push(isSupport ? SUPPORT_COLOUR : view.cleanPredictions[idx] === view.queryLabels[idx] ? RIGHT : WRONG);
        marksAdv.push(isSupport ? SUPPORT_COLOUR : view.advPredictions[idx] === view.queryLabels[idx] ? RIGHT : WRONG);
      }
    // Perturbation x_adv − x drawn around mid-grey: darker = more ink, lighter = less (±ε: full contrast).
    const scale = view.epsilon > 0 ? 1 / (2 * view.epsilon) : 0;
    for (let i = 0; i < delta.length; i++) delta[i] = 0.5 + (adv[i] - clean[i]) * scale;
    const marksDelta = marksClean.map((m) => (m === SUPPORT_COLOUR ? SUPPORT_COLOUR : QUERY_COLOUR));
    return { clean, adv, delta, marksClean, marksAdv, marksDelta, images: Array.from({ length: total }, (_, i) => i) };
  }, [view, n, k, q, cols, imageSize]);
  const pct = (v: number) => `${Math.round(100 * v)}%`;
  const panel = (title: string, pixels: Float32Array, marks: string[], testId: string) => (
    // A definite width: the grid measures its box to choose its columns.
    <figure className="fam-panel" style={{ inlineSize: cols * (cell + 4) - 4 }}>
      <figcaption>{title}</figcaption>
      <ImageGrid pixels={pixels} scale={1} imageSize={imageSize} images={layout.images} cell={cell} columns={cols} marks={marks} label={title} testId={testId} />
    </figure>
  );
  return (
    <div data-testid="fam-adversarial" data-step={view.step} data-epsilon={view.epsilon.toFixed(2)} data-clean={view.cleanAccuracy.toFixed(3)} data-adversarial={view.advAccuracy.toFixed(3)}>
      <p className="fam-accuracy" role="status">
        {t('famEpisodeAccuracy', { clean: pct(view.cleanAccuracy), adv: pct(view.advAccuracy), steps: view.adaptSteps, step: view.step })}
        {view.labelledOnlyAccuracy !== undefined && <> {t('famEpisodeWithoutLearned', { acc: pct(view.labelledOnlyAccuracy) })}</>}
      </p>
      <p className="help">
        <span className="swatch" style={{ background: SUPPORT_COLOUR }} /> {t('famLegendSupport', { k })} <span className="swatch" style={{ background: RIGHT }} />{' '}
        <span className="swatch" style={{ background: WRONG }} /> {t('famLegendQuery', { q })}
      </p>
      <div className="fam-panels">
        {panel(t('famClean'), layout.clean, layout.marksClean, 'fam-clean-images')}
        {panel(t('famAdversarial', { eps: view.epsilon.toFixed(2) }), layout.adv, layout.marksAdv, 'fam-adv-images')}
        {panel(t('famPerturbation'), layout.delta, layout.marksDelta, 'fam-perturbation-images')}
      </div>
    </div>
  );
});
