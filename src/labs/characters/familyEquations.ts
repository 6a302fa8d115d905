import type { OmniglotAlgorithm } from '../../engine/algorithms/omniglotConfig';
import { INEQUALITY_TEX } from '../../ui/components/inequalityMeasures';
import type { MessageKey } from '../../i18n/messages';
import type { FamilySettings } from '../../worker/familyProtocol';

/** Each algorithm's inner and outer updates on the family card, with the sentence under each. */

type Eq = { tex: string; text: MessageKey };
const INNER: Eq = { tex: String.raw`\theta'_i = \theta - \alpha \nabla_\theta \mathcal{L}\big(\theta;\, \mathcal{D}^{\text{s}}_i\big)`, text: 'famEqInner' };
const OUTER: Eq = { tex: String.raw`\theta \leftarrow \theta - \beta \nabla_\theta \textstyle\sum_i \mathcal{L}\big(\theta'_i;\, \mathcal{D}^{\text{q}}_i\big)`, text: 'famEqOuter' };
const EQUATIONS: Record<OmniglotAlgorithm, Eq[]> = {
  maml: [INNER, OUTER],
  fomaml: [INNER, { tex: String.raw`\theta \leftarrow \theta - \beta \textstyle\sum_i \nabla_{\theta'_i} \mathcal{L}\big(\theta'_i;\, \mathcal{D}^{\text{q}}_i\big)`, text: 'famEqOuterFo' }],
  reptile: [
    { tex: String.raw`\theta'_i = \mathrm{SGD}^k\big(\theta;\, \mathcal{D}^{\text{s}}_i, \mathcal{D}^{\text{q}}_i, \dots\big)`, text: 'famEqInnerReptile' },
    { tex: String.raw`\theta \leftarrow \theta + \epsilon\, \tfrac1n \textstyle\sum_i (\theta'_i - \theta)`, text: 'famEqOuterReptile' },
  ],
  metasgd: [
    { tex: String.raw`\theta'_i = \theta - \boldsymbol{\alpha} \circ \nabla_\theta \mathcal{L}\big(\theta;\, \mathcal{D}^{\text{s}}_i\big)`, text: 'famEqInnerMetaSgd' },
    { tex: String.raw`(\theta, \boldsymbol{\alpha}) \leftarrow (\theta, \boldsymbol{\alpha}) - \beta \nabla_{(\theta, \boldsymbol{\alpha})} \textstyle\sum_i \mathcal{L}\big(\theta'_i;\, \mathcal{D}^{\text{q}}_i\big)`, text: 'famEqOuterMetaSgd' },
  ],
  taml: [
    INNER,
    {
      tex: String.raw`\theta \leftarrow \theta - \beta \nabla_\theta \textstyle\sum_i \Big[\mathcal{L}\big(\theta'_i;\, \mathcal{D}^{\text{q}}_i\big) + \lambda\big(-H(f_\theta(x^{\text{q}}_i)) + H(f_{\theta'_i}(x^{\text{q}}_i))\big)\Big]`,
      text: 'famEqOuterTaml',
    },
  ],
  'maml-ga': [INNER, { tex: String.raw`\theta \leftarrow \theta - \beta \textstyle\sum_i w_i g_i, \quad w_i = \frac{\sum_j g_i^\top g_j}{\sum_k \left|\sum_j g_k^\top g_j\right|}, \quad g_i = \nabla_\theta \mathcal{L}\big(\theta'_i;\, \mathcal{D}^{\text{q}}_i\big)`, text: 'lsEqGa' }],
  'reptile-ga': [
    { tex: String.raw`\theta'_i = \mathrm{SGD}^k\big(\theta;\, \mathcal{D}^{\text{s}}_i, \mathcal{D}^{\text{q}}_i, \dots\big)`, text: 'famEqInnerReptile' },
    { tex: String.raw`\theta \leftarrow \theta - \epsilon \textstyle\sum_i w_i g_i, \quad g_i = \theta - \theta'_i`, text: 'lsEqGa' },
  ],
  'taml-ineq': [
    INNER,
    { tex: String.raw`\theta \leftarrow \theta - \beta \nabla_\theta \Big[\tfrac1n \textstyle\sum_i \mathcal{L}\big(\theta'_i;\, \mathcal{D}^{\text{q}}_i\big) + \lambda\, I\big(\{\mathcal{L}(\theta;\, \mathcal{D}^{\text{s}}_i)\}_i\big)\Big]`, text: 'famEqOuterTamlIneq' },
  ],
  adml: [
    { tex: String.raw`x^{\text{adv}} = x + \varepsilon\, \operatorname{sign}\big(\nabla_x J(\theta, x, y)\big)`, text: 'famEqFgsm' },
    { tex: String.raw`\theta'_{i,\text{clean}} = \theta - \alpha \nabla_\theta \mathcal{L}\big(\theta;\, \mathcal{D}^{\text{s}}_i\big), \quad \theta'_{i,\text{adv}} = \theta - \alpha \nabla_\theta \mathcal{L}\big(\theta;\, \mathcal{D}^{\text{s,adv}}_i\big)`, text: 'famEqInnerAdml' },
    { tex: String.raw`\theta \leftarrow \theta - \beta \nabla_\theta \textstyle\sum_i \Big[\mathcal{L}\big(\theta'_{i,\text{adv}};\, \mathcal{D}^{\text{q}}_i\big) + \mathcal{L}\big(\theta'_{i,\text{clean}};\, \mathcal{D}^{\text{q,adv}}_i\big)\Big]`, text: 'famEqOuterAdml' },
  ],
  caml: [
    { tex: String.raw`\phi'_i = -\alpha_{\phi} \nabla_\phi \mathcal{L}\big(\theta, \phi;\, \mathcal{D}^{\text{s}}_i\big)\big|_{\phi = 0}, \quad h_3 \leftarrow (1 + \gamma) \odot h_3 + \delta, \quad [\gamma, \delta] = W\phi + b`, text: 'famEqInnerCaml' },
    { tex: String.raw`(\theta, W, b) \leftarrow (\theta, W, b) - \beta \nabla_{(\theta, W, b)} \textstyle\sum_i \mathcal{L}\big(\theta, \phi'_i;\, \mathcal{D}^{\text{q}}_i\big)`, text: 'famEqOuterCaml' },
  ],
  daml: [
    { tex: String.raw`\theta'_i = \theta - \alpha \nabla_\theta \mathcal{L}\big(\theta;\, \mathcal{D}^{\text{s}}_i\big), \quad \theta''_i = \theta'_i - \alpha_\psi \nabla_{\theta'_i} \tfrac1N \textstyle\sum_n \big\|\psi\big(f_{\theta'_i}(x^{\text{q}}_n), h_{\theta'_i}(x^{\text{q}}_n)\big)\big\|^2`, text: 'famEqInnerDaml' },
    { tex: String.raw`(\theta, \psi) \leftarrow (\theta, \psi) - \beta \nabla_{(\theta, \psi)} \textstyle\sum_i \mathcal{L}\big(\theta''_i;\, \mathcal{D}^{\text{q}}_i\big)`, text: 'famEqOuterDaml' },
  ],
  'meta-lstm': [
    { tex: String.raw`c_t = f_t \odot c_{t-1} + i_t \odot \big({-\nabla_{\theta_{t-1}}} \mathcal{L}\big(\theta_{t-1};\, \mathcal{D}^{\text{s}}_i\big)\big), \quad \theta_t = c_t, \quad t = 1, \dots, T`, text: 'famEqInnerMetaLstm' },
    {
      tex: String.raw`i_t = \sigma\big(W_I \cdot [\tilde\nabla_t, \tilde{\mathcal{L}}_t, \theta_{t-1}, i_{t-1}] + b_I\big), \quad f_t = \sigma\big(W_F \cdot [\tilde\nabla_t, \tilde{\mathcal{L}}_t, \theta_{t-1}, f_{t-1}] + b_F\big)`,
      text: 'famEqGatesMetaLstm',
    },
    { tex: String.raw`(c_0, W_I, b_I, W_F, b_F) \leftarrow (c_0, W_I, b_I, W_F, b_F) - \beta \nabla \textstyle\sum_i \mathcal{L}\big(\theta_{i,T};\, \mathcal{D}^{\text{q}}_i\big)`, text: 'famEqOuterMetaLstm' },
  ],
};

/** The algorithm's equations; inequality TAML adds the formula of the chosen measure. */
export function equationsFor(s: Pick<FamilySettings, 'algorithm' | 'tamlMeasure'>): Eq[] {
  const eqs = EQUATIONS[s.algorithm];
  return s.algorithm === 'taml-ineq' ? [...eqs, { tex: INEQUALITY_TEX[s.tamlMeasure], text: 'eqTamlMeasure' }] : eqs;
}
