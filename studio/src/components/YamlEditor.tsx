import { yaml } from '@codemirror/lang-yaml';
import { linter, lintGutter, type Diagnostic } from '@codemirror/lint';
import { EditorState } from '@codemirror/state';
import { EditorView } from '@codemirror/view';
import { basicSetup } from 'codemirror';
import { useEffect, useRef } from 'react';
import type { BlueprintProblem } from '../api/types';

/**
 * The blueprint editor: CodeMirror with YAML highlighting; `validate` runs (debounced by the linter)
 * on every change and its problems are marked at their line in the gutter and the text.
 */
export function YamlEditor({ initial, onChange, validate }: { initial: string; onChange(text: string): void; validate(text: string): Promise<BlueprintProblem[]> }) {
  const ref = useRef<HTMLDivElement>(null);
  const callbacks = useRef({ onChange, validate });
  callbacks.current = { onChange, validate };

  useEffect(() => {
    if (!ref.current) return;
    const lint = linter(
      async (view): Promise<Diagnostic[]> => {
        const problems = await callbacks.current.validate(view.state.doc.toString());
        return problems.map((p) => {
          const line = view.state.doc.line(Math.min(Math.max(p.line ?? 1, 1), view.state.doc.lines));
          const from = Math.min(line.from + Math.max((p.column ?? 1) - 1, 0), line.to);
          return { from, to: line.to > from ? line.to : from, severity: 'error', message: `${p.message} (${p.code}${p.path ? ` at ${p.path}` : ''})` };
        });
      },
      { delay: 400 },
    );
    const view = new EditorView({
      parent: ref.current,
      state: EditorState.create({
        doc: initial,
        extensions: [
          basicSetup,
          yaml(),
          lintGutter(),
          lint,
          EditorView.contentAttributes.of({ 'aria-label': 'Blueprint YAML', tabindex: '0' }),
          EditorView.updateListener.of((update) => {
            if (update.docChanged) callbacks.current.onChange(update.state.doc.toString());
          }),
        ],
      }),
    });
    return () => view.destroy();
  }, [initial]);

  return <div ref={ref} className="editor" data-testid="blueprint-editor" />;
}
