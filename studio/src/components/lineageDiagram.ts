import type { Lineage, Workflow } from '../api/types';
import type { DeliveryLineage } from './deliveryLineage';

const label = (text: string) => text.replace(/["[\]<>{}|]/g, ' ');

/**
 * A Mermaid flowchart of an artifact's lineage: its inputs (transitively) → the artifact → the commit
 * its workflow made → the releases of it → their promotions per environment → the deployments per module.
 */
export function toLineageDiagram(lineage: Lineage, workflow?: Workflow, delivery?: DeliveryLineage): string {
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
  if (root && delivery) lines.push(...deliveryNodes(delivery, commit ? 'commit' : root));
  if (root) lines.push(`  style ${root} stroke-width:3px`);
  return lines.join('\n');
}

/** release → promotion (environment, phase) → deployment (module, version, status), below `from`. */
function deliveryNodes(delivery: DeliveryLineage, from: string): string[] {
  const lines: string[] = [];
  delivery.releases.forEach((release, r) => {
    lines.push(`  r${r}(["release ${label(release.version)}<br/><small>${label(release.status)}</small>"])`, `  ${from} --> r${r}`);
    (release.promotions ?? []).forEach((promotion, p) => {
      lines.push(`  r${r}p${p}["${label(promotion.environment)}<br/><small>${label(promotion.phase)}</small>"]`, `  r${r} --> r${r}p${p}`);
      delivery.deployments
        .filter((d) => d.releaseId === release.releaseId && d.environment === promotion.environment)
        .forEach((d, i) => lines.push(`  r${r}p${p}d${i}[/"${label(d.module)} ${label(d.version)}<br/><small>${label(d.status)}</small>"/]`, `  r${r}p${p} --> r${r}p${p}d${i}`));
    });
  });
  return lines;
}
