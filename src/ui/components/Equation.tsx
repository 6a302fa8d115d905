import katex from 'katex';
import { useMemo } from 'react';

/** A KaTeX equation, rendered once per source string. Math is always laid out left to right. */
export function Equation({ tex, display = true }: { tex: string; display?: boolean }) {
  const html = useMemo(() => katex.renderToString(tex, { displayMode: display, throwOnError: false, output: 'html' }), [tex, display]);
  return <span dir="ltr" className="equation" dangerouslySetInnerHTML={{ __html: html }} />;
}
