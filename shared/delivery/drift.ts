import { createHash } from 'node:crypto';
import { canonicalJson } from '../platform/canonicalJson';
import type { LiveModule } from '../runtime';
import type { DesiredStateDocument, DriftKind } from './schemas';

/** One difference between an environment's desired and live state. */
export interface DriftFinding {
  findingId: string;
  module: string;
  kind: DriftKind;
  expected: unknown;
  actual: unknown;
}

/** The id of a finding: kind, module and what was seen; an unchanged drift keeps its id across scans. */
function toFinding(module: string, kind: DriftKind, expected: unknown, actual: unknown): DriftFinding {
  const digest = createHash('sha256').update(canonicalJson({ expected, actual })).digest('hex').slice(0, 10);
  return { findingId: `${kind}-${module.replace(/[^A-Za-z0-9_-]/g, '-')}-${digest}`, module, kind, expected, actual };
}

/**
 * Compares the desired state (last good deployment) with what runs, module by module (as Argo CD
 * compares desired and live): `missing` (no replica), `version`, `config` (hash of the values, or platform bindings gone stale such as
 * the broker endpoint of a restarted host), `replica`
 * (count), `unhealthy` (replicas not ready), and `unexpected` modules nothing desires.
 */
export function compareDesiredLive(desired: Pick<DesiredStateDocument, 'modules' | 'stoppedAt'> | undefined, live: LiveModule[]): DriftFinding[] {
  const findings: DriftFinding[] = [];
  const wanted = desired && !desired.stoppedAt ? desired.modules : [];
  for (const module of wanted) {
    const replicas = live.find((m) => m.module === module.name)?.replicas ?? [];
    if (replicas.length === 0) {
      findings.push(toFinding(module.name, 'missing', { replicas: module.replicas, version: module.version }, { replicas: 0 }));
      continue;
    }
    const versions = [...new Set(replicas.map((r) => r.version).filter((v) => v !== undefined && v !== module.version))].sort();
    if (versions.length) findings.push(toFinding(module.name, 'version', module.version, versions));
    const configs = [...new Set(replicas.map((r) => r.configHash).filter((h) => h !== undefined && h !== module.configHash))].sort();
    if (configs.length) findings.push(toFinding(module.name, 'config', module.configHash, configs));
    const stale = replicas.filter((r) => r.stale).map((r) => `${r.id}: ${r.stale}`).sort();
    if (stale.length) findings.push(toFinding(module.name, 'config', module.configHash, { stale }));
    if (replicas.length !== module.replicas) findings.push(toFinding(module.name, 'replica', module.replicas, replicas.length));
    const unready = replicas.filter((r) => !r.ready).map((r) => r.id).sort();
    if (unready.length) findings.push(toFinding(module.name, 'unhealthy', 'ready', { notReady: unready }));
  }
  for (const module of live) {
    if (!wanted.some((m) => m.name === module.module)) findings.push(toFinding(module.module, 'unexpected', null, { version: module.version ?? null, replicas: module.replicas.length }));
  }
  return findings;
}
