let counter = 0;
let loaded: Promise<typeof import('mermaid').default> | undefined;

function mermaid() {
  loaded ??= import('mermaid').then(({ default: m }) => {
    const dark = document.documentElement.dataset.theme === 'dark';
    m.initialize({ startOnLoad: false, securityLevel: 'strict', theme: dark ? 'dark' : 'default' });
    return m;
  });
  return loaded;
}

/** Replaces `target` with the diagram of `source`; on a syntax error the source stays, with the error under it. */
export async function renderMermaid(source: string, target: HTMLElement): Promise<void> {
  try {
    const { svg } = await (await mermaid()).render(`mermaid-${++counter}`, source);
    const figure = document.createElement('figure');
    figure.className = 'mermaid';
    figure.setAttribute('role', 'img');
    figure.setAttribute('aria-label', 'Diagram');
    figure.innerHTML = svg;
    target.replaceWith(figure);
  } catch (error) {
    const note = document.createElement('p');
    note.className = 'error small';
    note.textContent = `Diagram could not be drawn: ${error instanceof Error ? error.message : String(error)}`;
    target.after(note);
  }
}
