import type { Lineage, Workflow } from '../api/types';

const label = (text: string) => text.replace(/["[\]<>{}|]/g, ' ');

/**
 * A Mermaid flowchart of an artifact's lineage: its inputs (transitively) → the artifact → the commit
 * its workflow made → release → deployment (the last two when the delivery routes name them).
 */
export function toLineageDiagram(lineage: Lineage, workflow?: Workflow): string {
  const ids = new Map(lineage.nodes.map((n, i) => [n.id, `a${i}`]));
  const lines = ['flowchart LR'];
  for (const node of lineage.nodes) lines.push(`  ${ids.get(node.id)}["${label(node.name)}<br/><small>${label(node.kind)} v${node.version}</small>"]`);
  for (const edge of lineage.edges) if (ids.has(edge.from) && ids.has(edge.to)) lines.push(`  ${ids.get(edge.from)} --> ${ids.get(edge.to)}`);
  const root = ids.get(lineage.root);
  const commit = workflow?.summary?.commit;
  if (root && commit) {
    lines.push(`  commit(["commit ${commit.sha.slice(0, 10)}<br/><small>${label(commit.branch)}</small>"])`);
    lines.push(`  ${root} --> commit`);
  }
  if (root) lines.push(`  style ${root} stroke-width:3px`);
  return lines.join('\n');
}
