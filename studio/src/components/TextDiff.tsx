import { diffLines } from 'diff';
import { useMemo } from 'react';

/** A unified line diff of two texts: removed lines marked −, added lines +, unchanged context kept. */
export function TextDiff({ before, after, label }: { before: string; after: string; label: string }) {
  const parts = useMemo(() => diffLines(before, after), [before, after]);
  const added = parts.filter((p) => p.added).reduce((n, p) => n + (p.count ?? 0), 0);
  const removed = parts.filter((p) => p.removed).reduce((n, p) => n + (p.count ?? 0), 0);
  return (
    <figure className="diff" aria-label={label}>
      <figcaption className="muted small">
        {label}: +{added} −{removed} lines
      </figcaption>
      <pre className="code">
        {parts.flatMap((part, i) =>
          part.value
            .replace(/\n$/, '')
            .split('\n')
            .map((line, j) => (
              <span key={`${i}-${j}`} className={part.added ? 'diff-add' : part.removed ? 'diff-del' : 'diff-same'}>
                {part.added ? '+ ' : part.removed ? '- ' : '  '}
                {line}
                {'\n'}
              </span>
            )),
        )}
      </pre>
    </figure>
  );
}
