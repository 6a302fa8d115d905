import katex from 'katex';
import { useLayoutEffect, useMemo, useRef } from 'react';

/**
 * A KaTeX equation, rendered once per source string. Math is always laid out left to right.
 * A display equation wider than its box is scaled down to fit (KaTeX sizes everything in em, so
 * one font size scales it whole): no equation needs sideways scrolling, on a projector or a phone.
 */
export function Equation({ tex, display = true }: { tex: string; display?: boolean }) {
  const html = useMemo(() => katex.renderToString(tex, { displayMode: display, throwOnError: false, output: 'html' }), [tex, display]);
  const box = useRef<HTMLSpanElement>(null);
  const body = useRef<HTMLSpanElement>(null);

  useLayoutEffect(() => {
    const outer = box.current;
    const inner = body.current;
    if (!display || !outer || !inner) return;
    let width = -1;
    const fit = () => {
      const available = outer.clientWidth;
      // Hidden (a closed panel): measured again when it is shown, as its width changes then.
      if (available === 0) return;
      inner.style.fontSize = '';
      const natural = outer.scrollWidth;
      // A hair of slack, so rounding never leaves a one-pixel scroll.
      if (natural > available) inner.style.fontSize = `${Math.floor((1000 * available) / natural) / 1000 - 0.005}em`;
    };
    fit();
    // Refit when the box changes width (window, language, presentation mode), not on the height
    // change that fitting itself causes.
    const observer = new ResizeObserver(() => {
      if (outer.clientWidth === width) return;
      width = outer.clientWidth;
      fit();
    });
    observer.observe(outer);
    // KaTeX's fonts arrive after the first layout (they are requested by it) and change its width.
    document.fonts?.addEventListener('loadingdone', fit);
    return () => {
      document.fonts?.removeEventListener('loadingdone', fit);
      observer.disconnect();
    };
  }, [html, display]);

  return (
    <span dir="ltr" className={display ? 'equation' : 'equation inline'} ref={box}>
      <span className="equation-body" ref={body} dangerouslySetInnerHTML={{ __html: html }} />
    </span>
  );
}
