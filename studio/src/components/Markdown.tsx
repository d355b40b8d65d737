import DOMPurify from 'dompurify';
import { marked } from 'marked';
import { useEffect, useMemo, useRef } from 'react';
import { renderMermaid } from './mermaid';

/** Markdown rendered to sanitized HTML; ```mermaid blocks become diagrams (Mermaid is loaded on first use). */
export function Markdown({ text }: { text: string }) {
  const html = useMemo(() => DOMPurify.sanitize(marked.parse(text, { async: false, gfm: true })), [text]);
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const blocks = ref.current ? [...ref.current.querySelectorAll<HTMLElement>('pre > code.language-mermaid')] : [];
    for (const block of blocks) void renderMermaid(block.textContent ?? '', block.parentElement!);
  }, [html]);
  return <div className="markdown" ref={ref} dangerouslySetInnerHTML={{ __html: html }} />;
}
