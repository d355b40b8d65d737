import { EditorState } from '@codemirror/state';
import { EditorView } from '@codemirror/view';
import { basicSetup } from 'codemirror';
import { useEffect, useRef } from 'react';
import { languageFor } from './languages';

/** Read-only source with syntax highlighting (CodeMirror, language from the file name or content type). */
export function CodeView({ text, name, contentType }: { text: string; name: string; contentType: string }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!ref.current) return;
    const view = new EditorView({
      parent: ref.current,
      state: EditorState.create({
        doc: text,
        extensions: [basicSetup, EditorState.readOnly.of(true), EditorView.editable.of(false), EditorView.contentAttributes.of({ 'aria-label': `Content of ${name}`, tabindex: '0' }), ...languageFor(name, contentType)],
      }),
    });
    return () => view.destroy();
  }, [text, name, contentType]);
  return <div ref={ref} className="codeview" data-testid="code-view" />;
}
