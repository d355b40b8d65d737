import { useEffect, useRef } from 'react';
import { renderMermaid } from './mermaid';

/** A Mermaid diagram from source (lineage graphs). */
export function Mermaid({ source, label }: { source: string; label: string }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const host = ref.current;
    if (!host) return;
    host.replaceChildren();
    const pre = document.createElement('pre');
    pre.textContent = source;
    host.append(pre);
    void renderMermaid(source, pre);
  }, [source]);
  return <div ref={ref} className="diagram" aria-label={label} role="group" />;
}
