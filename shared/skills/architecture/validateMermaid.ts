import type { Blueprint } from '../../blueprints/schemas';

const PAIRS: Record<string, string> = { ']': '[', ')': '(', '}': '{' };

/** The Mermaid blocks of a Markdown text, in order; an unterminated block is returned as a failure. */
export function mermaidBlocks(text: string): { blocks: string[]; failures: string[] } {
  const blocks: string[] = [];
  const parts = text.split('```mermaid\n');
  for (const part of parts.slice(1)) {
    const end = part.indexOf('\n```');
    if (end < 0) return { blocks, failures: ['a mermaid block is never closed'] };
    blocks.push(part.slice(0, end));
  }
  return { blocks, failures: [] };
}

/**
 * Minimal checks of a Mermaid flowchart: a `flowchart` header with a direction, balanced brackets
 * and quotes on every line (outside quoted labels), and every given node id declared.
 */
export function validateMermaidFlowchart(block: string, requiredNodes: readonly string[]): string[] {
  const lines = block.split('\n');
  const failures: string[] = [];
  if (!/^flowchart (LR|RL|TD|TB|BT)$/.test(lines[0] ?? '')) failures.push(`starts with '${lines[0]}', not 'flowchart <direction>'`);
  lines.slice(1).forEach((line, index) => {
    const stack: string[] = [];
    const unquoted = line.replace(/"[^"]*"/g, '""');
    if ((line.match(/"/g) ?? []).length % 2) failures.push(`line ${index + 2}: unbalanced quotes`);
    for (const char of unquoted.replace(/\|[^|]*\|/g, '')) {
      if ('[({'.includes(char)) stack.push(char);
      else if (char in PAIRS && stack.pop() !== PAIRS[char]) {
        failures.push(`line ${index + 2}: unbalanced '${char}'`);
        return;
      }
    }
    if (stack.length) failures.push(`line ${index + 2}: '${stack[stack.length - 1]}' is never closed`);
  });
  for (const id of requiredNodes) {
    if (!lines.some((line) => new RegExp(`^\\s*${id}[\\[({]`).test(line))) failures.push(`node ${id} is not declared`);
  }
  return failures;
}

/** Failures of an architecture document: three flowcharts (containers, dependencies, events), each declaring every module. */
export function validateArchitectureDocument(text: string, blueprint: Blueprint): string[] {
  const { blocks, failures } = mermaidBlocks(text);
  if (blocks.length !== 3) failures.push(`expected 3 mermaid blocks, found ${blocks.length}`);
  const modules = blueprint.spec.modules.map((module) => module.name);
  const names = ['containers', 'dependencies', 'event flow'];
  blocks.forEach((block, index) => failures.push(...validateMermaidFlowchart(block, modules).map((failure) => `${names[index] ?? `block ${index + 1}`}: ${failure}`)));
  for (const section of ['## Containers', '## Module dependencies', '## Event flow']) if (!text.includes(`\n${section}\n`)) failures.push(`section '${section}' is missing`);
  return failures;
}
