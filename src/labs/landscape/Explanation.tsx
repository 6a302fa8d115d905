import { Equation } from '../../ui/components/Equation';
import type { Translate } from '../../ui/store';
import type { MessageKey } from '../../i18n/messages';

/** Each algorithm's update rule, and the Taylor expansion that says why Reptile works. */
export function ExplanationCard({ t }: { t: Translate }) {
  const items: { id: string; tex: string; text: MessageKey }[] = [
    { id: 'pretrain', tex: String.raw`\theta \leftarrow \theta - \beta\,\tfrac1n\textstyle\sum_i \nabla \mathcal{L}_i(\theta)`, text: 'lsEqPretrain' },
    { id: 'fomaml', tex: String.raw`\begin{aligned} \theta'_i &= \theta - \alpha\nabla\mathcal{L}^{s}_i(\theta) \\ \theta &\leftarrow \theta - \beta\,\tfrac1n\textstyle\sum_i \nabla \mathcal{L}^{q}_i(\theta'_i) \end{aligned}`, text: 'lsEqFomaml' },
    { id: 'maml', tex: String.raw`\theta \leftarrow \theta - \beta\,\tfrac1n\textstyle\sum_i \big(I - \alpha H^{s}_i\big)^{k} \nabla \mathcal{L}^{q}_i(\theta'_i)`, text: 'lsEqMaml' },
    { id: 'reptile', tex: String.raw`\begin{aligned} \theta &\leftarrow \theta + \epsilon\,\tfrac1n\textstyle\sum_i (\theta'_i - \theta) \\ \theta'_i - \theta &= -\alpha\,(g_1 + g_2 + \dots + g_k) \end{aligned}`, text: 'lsEqReptile' },
    { id: 'taylor', tex: String.raw`\begin{aligned} \mathbb{E}[g_1 + g_2] &= 2\,\nabla\bar{\mathcal{L}} \\ &\quad - \tfrac{\alpha}{2}\,\nabla\,\mathbb{E}\big[\bar g_1^{\top} \bar g_2\big] + O(\alpha^2) \end{aligned}`, text: 'lsEqTaylor' },
    { id: 'metasgd', tex: String.raw`\begin{aligned} \theta'_i &= \theta - a \circ \nabla\mathcal{L}^{s}_i(\theta) \\ \nabla_a \mathcal{L}^{q}_i(\theta'_i) &= -\nabla\mathcal{L}^{q}_i(\theta'_i) \circ \nabla\mathcal{L}^{s}_i(\theta) \end{aligned}`, text: 'lsEqMetaSgd' },
    { id: 'ga', tex: String.raw`w_i = \frac{\sum_j g_i^{\top} g_j}{\sum_k \big|\sum_j g_k^{\top} g_j\big|},\quad \theta \leftarrow \theta - \beta \textstyle\sum_i w_i g_i`, text: 'lsEqGa' },
  ];
  return (
    <section className="card explanation" data-testid="ls-explanation">
      <h2>{t('explanationTitle')}</h2>
      {items.map((it) => (
        <div key={it.id} className="eq" data-eq={it.id}>
          <Equation tex={it.tex} />
          <p>{t(it.text)}</p>
        </div>
      ))}
    </section>
  );
}
