import type { MetricBaseline, MetricMethod } from '../../engine/algorithms/metric/types';
import type { MessageKey } from '../../i18n/messages';
import type { Translate } from '../../ui/store';

const NAMES: Record<MetricMethod | MetricBaseline, MessageKey> = {
  siamese: 'metricSiamese',
  protonet: 'metricProtonet',
  'gaussian-protonet': 'metricGaussian',
  'semi-protonet': 'metricSemi',
  matching: 'metricMatching',
  relation: 'metricRelation',
  'pixel-nn': 'metricPixelNn',
  mhd: 'metricMhd',
};

export const methodName = (t: Translate, m: MetricMethod | MetricBaseline) => t(NAMES[m]);

/** The papers' four Omniglot settings as [ways, shots]: the published table's columns, and the arena's choices. */
export const PUBLISHED_SETTINGS = [
  [5, 1],
  [5, 5],
  [20, 1],
  [20, 5],
] as const;

/**
 * Published Omniglot accuracies (%), from the papers themselves: GPU training over tens of
 * thousands of episodes on the 1200-character background set (with rotations), not this page's budget.
 * Columns: 5-way 1-shot, 5-way 5-shot, 20-way 1-shot, 20-way 5-shot; null where the paper has none.
 */
export interface Published {
  method: MetricMethod;
  source: string;
  cells: [number | null, number | null, number | null, number | null];
  /** What differs from the columns' setting (a message key). */
  note?: MessageKey;
}

/*
 * Checked against the papers (search of stored copies, 2026-11-22):
 * - Snell et al. (1703.05175), Table 1: 98.8 / 99.7 / 96.0 / 98.9 (as quoted by a replication's README).
 * - Sung et al. (1711.06025), Table 1: 5-way 1-shot 99.6 and 20-way 1-shot 97.6 seen on the paper's
 *   results listing; 99.8 (5-way 5-shot) and 99.1 (20-way 5-shot) not seen there: unverified.
 * - Fort (1708.02735): the abstract says he reports 1- and 5-shot, 5-way and 20-way; his table could
 *   not be read, so the 5-way cells stay null and 97.0 / 99.2 (20-way) are unverified.
 * - Vinyals et al. (1606.04080): 98.1 / 98.9 / 93.8 / 98.5 as listed from the paper's Omniglot table
 *   (matching nets without fine-tuning).
 * - Koch et al. (2015): 92% 20-way one-shot, as quoted by a replication; the table itself not read.
 * - Ren et al. (1803.00676): table not reachable; 97.5 (masked soft k-means, 1-shot) is unverified.
 */
export const PUBLISHED: readonly Published[] = [
  { method: 'siamese', source: 'Koch et al. 2015', cells: [null, null, 92.0, null], note: 'metricPublishedKoch' },
  { method: 'protonet', source: 'Snell et al. 2017', cells: [98.8, 99.7, 96.0, 98.9] },
  { method: 'gaussian-protonet', source: 'Fort 2017', cells: [null, null, 97.0, 99.2], note: 'metricPublishedFort' },
  { method: 'semi-protonet', source: 'Ren et al. 2018', cells: [97.5, null, null, null], note: 'metricPublishedRen' },
  { method: 'matching', source: 'Vinyals et al. 2016', cells: [98.1, 98.9, 93.8, 98.5] },
  { method: 'relation', source: 'Sung et al. 2018', cells: [99.6, 99.8, 97.6, 99.1] },
];

/** The published number for an N-way K-shot setting, if the paper reports that setting. */
export function publishedFor(method: MetricMethod, ways: number, shots: number): number | null {
  const p = PUBLISHED.find((r) => r.method === method);
  if (!p) return null;
  const col = PUBLISHED_SETTINGS.findIndex(([w, k]) => w === ways && k === shots);
  return col < 0 ? null : (p.cells[col] ?? null);
}

/** Each method's equations (KaTeX) with the sentence that reads them. */
export interface MethodEquation {
  id: string;
  tex: string;
  text: MessageKey;
}

export const EQUATIONS: Record<MetricMethod, MethodEquation[]> = {
  siamese: [
    { id: 'distance', tex: String.raw`D(x_1, x_2) = \lVert f_\phi(x_1) - f_\phi(x_2) \rVert_2`, text: 'metricEqSiameseDistance' },
    { id: 'contrastive', tex: String.raw`L = y\,D^2 + (1 - y)\,\max(0,\; m - D)^2,\quad y = 1 \text{ for a same pair}`, text: 'metricEqContrastive' },
    { id: 'triplet', tex: String.raw`L = \max\big(0,\; \lVert f(a) - f(p)\rVert^2 - \lVert f(a) - f(n)\rVert^2 + m\big)`, text: 'metricEqTriplet' },
    { id: 'nearest', tex: String.raw`\hat y(x) = y_{i^*},\quad i^* = \arg\min_i D(x, x_i)`, text: 'metricEqSiameseClassify' },
  ],
  protonet: [
    { id: 'prototype', tex: String.raw`\mathbf{c}_k = \frac{1}{|S_k|} \sum_{(x_i, y_i) \in S_k} f_\phi(x_i)`, text: 'metricEqPrototype' },
    { id: 'softmax', tex: String.raw`p_\phi(y = k \mid x) = \operatorname{softmax}_k\big(-\lVert f_\phi(x) - \mathbf{c}_k \rVert^2\big)`, text: 'metricEqProtoSoftmax' },
    { id: 'loss', tex: String.raw`J(\phi) = -\log p_\phi(y = k \mid x)`, text: 'metricEqProtoLoss' },
  ],
  'gaussian-protonet': [
    { id: 'split', tex: String.raw`f_\phi(x) = [\,\mathbf{x}_{\text{emb}},\; \mathbf{s}_{\text{raw}}\,],\quad \mathbf{s} = 1 + \operatorname{softplus}(\mathbf{s}_{\text{raw}})`, text: 'metricEqGaussSplit' },
    { id: 'prototype', tex: String.raw`\mathbf{p}_c = \frac{\sum_i \mathbf{s}_i \odot \mathbf{x}_i}{\sum_i \mathbf{s}_i},\qquad \mathbf{S}_c = \sum_i \mathbf{s}_i`, text: 'metricEqGaussPrototype' },
    { id: 'distance', tex: String.raw`d_c(\mathbf{x}) = (\mathbf{x} - \mathbf{p}_c)^\top \operatorname{diag}(\mathbf{S}_c)\,(\mathbf{x} - \mathbf{p}_c)`, text: 'metricEqGaussDistance' },
  ],
  'semi-protonet': [
    { id: 'assign', tex: String.raw`\tilde z_{j,c} = \operatorname{softmax}_c\big(-\lVert h(\tilde x_j) - \mathbf{p}_c \rVert^2\big)`, text: 'metricEqSemiAssign' },
    { id: 'refine', tex: String.raw`\tilde{\mathbf{p}}_c = \frac{\sum_i h(x_i)\, z_{i,c} + \sum_j h(\tilde x_j)\, \tilde z_{j,c}}{\sum_i z_{i,c} + \sum_j \tilde z_{j,c}}`, text: 'metricEqSemiRefine' },
    { id: 'variants', tex: String.raw`\mathbf{p}_{N+1} = \mathbf{0}\ \text{(distractor)},\qquad \tilde z_{j,c} \leftarrow \tilde z_{j,c}\, \sigma\big(-\beta_c(\tilde d_{j,c} - \gamma_c)\big)\ \text{(masked)}`, text: 'metricEqSemiVariants' },
  ],
  matching: [
    { id: 'attention', tex: String.raw`a(\hat x, x_i) = \operatorname{softmax}_i\big(s \cdot \cos(f(\hat x), g(x_i))\big)`, text: 'metricEqMatchingAttention' },
    { id: 'vote', tex: String.raw`P(\hat y = k \mid \hat x, S) = \sum_i a(\hat x, x_i)\, \mathbb{1}[y_i = k],\qquad L = -\log P(y \mid \hat x, S)`, text: 'metricEqMatchingVote' },
    { id: 'fce', tex: String.raw`g(x_i, S) = \overrightarrow{h}_i + \overleftarrow{h}_i + g'(x_i),\qquad f(\hat x, S) = \operatorname{attLSTM}\big(f'(\hat x), g(S), K\big)`, text: 'metricEqMatchingFce' },
  ],
  relation: [
    { id: 'score', tex: String.raw`r_{c,j} = g_\varphi\big(\mathcal{C}(f_\phi(x_c), f_\phi(x_j))\big) \in [0, 1]`, text: 'metricEqRelationScore' },
    { id: 'kshot', tex: String.raw`f_\phi(x_c) = \sum_{k=1}^{K} f_\phi(x_{c,k})`, text: 'metricEqRelationKShot' },
    { id: 'loss', tex: String.raw`L = \sum_{c,j} \big(r_{c,j} - \mathbb{1}[y_j = c]\big)^2`, text: 'metricEqRelationLoss' },
  ],
};

export const BASELINE_EQUATIONS: MethodEquation[] = [
  { id: 'pixel', tex: String.raw`\hat y(x) = y_{i^*},\quad i^* = \arg\min_i \lVert x - x_i \rVert_2\ \text{(pixels)}`, text: 'metricEqPixelNn' },
  { id: 'mhd', tex: String.raw`d(A, B) = \max\Big(\tfrac{1}{|A|}\sum_{a \in A} \min_{b \in B} \lVert a - b \rVert,\; \tfrac{1}{|B|}\sum_{b \in B} \min_{a \in A} \lVert a - b \rVert\Big)`, text: 'metricEqMhd' },
];
