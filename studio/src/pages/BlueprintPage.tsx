import { useCallback, useState } from 'react';
import { useParams } from 'wouter';
import { ApiProblem } from '../api/problem';
import type { BlueprintDiff, BlueprintProblem, BlueprintVersion, Page } from '../api/types';
import { useStudio } from '../app/context';
import { can } from '../app/roles';
import { useResource } from '../app/useResource';
import { ErrorNote, Loading, Section, Time } from '../components/common';
import { TextDiff } from '../components/TextDiff';
import { YamlEditor } from '../components/YamlEditor';

const STARTER = `apiVersion: factory/v1
kind: Blueprint
metadata:
  name: my-system
spec:
  environments: [dev, staging, production]
  modules: []
`;

/**
 * The problems `POST …/blueprints/validate` finds: none when it answers 200, the `errors[]` (each
 * with its line and column) of its 422 `BlueprintInvalid`; any other failure is thrown.
 */
async function problemsOf(check: () => Promise<unknown>): Promise<BlueprintProblem[]> {
  try {
    await check();
    return [];
  } catch (error) {
    if (error instanceof ApiProblem && error.status === 422 && error.problem.code === 'BlueprintInvalid') return (error.problem.errors ?? []) as BlueprintProblem[];
    throw error;
  }
}

/** The blueprint editor (live validation through `blueprints/validate`), submit, versions and a diff between any two. */
export default function BlueprintPage() {
  const { api, me, tenantId } = useStudio();
  const { project } = useParams<{ project: string }>();
  const base = `tenants/${tenantId}/projects/${project}/blueprints`;
  const versions = useResource(base, () => api.get<Page<BlueprintVersion>>(base, { limit: 100 }));
  const latest = versions.data?.items[0];
  const initial = useResource(versions.data ? `${base}:initial:${latest?.version ?? 0}` : undefined, async () => (latest ? api.text(`${base}/${latest.version}`, { format: 'yaml' }) : STARTER));
  const [text, setText] = useState<string>();
  const [problems, setProblems] = useState<BlueprintProblem[]>();
  const [submitted, setSubmitted] = useState<{ error?: unknown; note?: string }>({});

  const validate = useCallback(
    async (source: string) => {
      if (!source.trim()) return [];
      const found = await problemsOf(() => api.post<unknown>(`${base}/validate`, source, 'application/yaml'));
      setProblems(found);
      return found;
    },
    [api, base],
  );

  const submit = async () => {
    setSubmitted({});
    try {
      const version = await api.post<BlueprintVersion>(base, text ?? initial.data ?? '', 'application/yaml');
      setSubmitted({ note: `Stored as version ${version.version}.` });
      versions.reload();
    } catch (error) {
      setSubmitted({ error });
    }
  };

  return (
    <>
      <h1>Blueprint of {project}</h1>
      <Section
        title="Editor"
        actions={
          can(me, 'submitBlueprint') ? (
            <button type="button" onClick={submit} disabled={problems !== undefined && problems.length > 0}>
              Submit blueprint
            </button>
          ) : null
        }
      >
        {initial.data !== undefined ? <YamlEditor initial={initial.data} onChange={setText} validate={validate} /> : <Loading what="Loading the latest version" />}
        <div aria-live="polite" data-testid="problems">
          {problems === undefined ? null : problems.length === 0 ? (
            <p className="ok">No problems: the blueprint is valid.</p>
          ) : (
            <ul className="problems" aria-label="Problems">
              {problems.map((p, i) => (
                <li key={i}>
                  <strong>Line {p.line ?? '?'}</strong>
                  {p.column ? `, column ${p.column}` : ''}: {p.message} <span className="muted small">({p.code}{p.path ? ` at ${p.path}` : ''})</span>
                </li>
              ))}
            </ul>
          )}
        </div>
        {submitted.note ? <p role="status">{submitted.note}</p> : null}
        {submitted.error ? <ErrorNote error={submitted.error} /> : null}
      </Section>
      <Versions base={base} versions={versions.data?.items} error={versions.error} />
    </>
  );
}

function Versions({ base, versions, error }: { base: string; versions?: BlueprintVersion[]; error?: unknown }) {
  const { api } = useStudio();
  const [pair, setPair] = useState<{ from?: number; to?: number }>({});
  const from = pair.from ?? versions?.[1]?.version;
  const to = pair.to ?? versions?.[0]?.version;
  const diff = useResource(from && to && from !== to ? `${base}:diff:${from}:${to}` : undefined, async () => {
    const [structured, before, after] = await Promise.all([
      api.get<BlueprintDiff>(`${base}/diff`, { from, to }),
      api.text(`${base}/${from}`, { format: 'yaml' }),
      api.text(`${base}/${to}`, { format: 'yaml' }),
    ]);
    return { structured, before, after };
  });
  return (
    <Section title="Versions">
      {error ? <ErrorNote error={error} /> : null}
      {!versions ? <Loading /> : versions.length === 0 ? <p className="muted">No version yet.</p> : null}
      {versions?.length ? (
        <table>
          <thead>
            <tr>
              <th scope="col">Version</th>
              <th scope="col">Name</th>
              <th scope="col">Modules</th>
              <th scope="col">Submitted</th>
            </tr>
          </thead>
          <tbody>
            {versions.map((v) => (
              <tr key={v.version}>
                <td>v{v.version}</td>
                <td>{v.name}</td>
                <td>{v.modules.map((m) => m.name).join(', ') || '—'}</td>
                <td>
                  <Time at={v.submittedAt} /> <span className="muted small">{v.submittedBy}</span>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {versions && versions.length > 1 ? (
        <>
          <form className="row" aria-label="Compare versions" onSubmit={(e) => e.preventDefault()}>
            <label>
              From
              <select value={from} onChange={(e) => setPair({ from: Number(e.target.value), to })}>
                {versions.map((v) => (
                  <option key={v.version} value={v.version}>
                    v{v.version}
                  </option>
                ))}
              </select>
            </label>
            <label>
              To
              <select value={to} onChange={(e) => setPair({ from, to: Number(e.target.value) })}>
                {versions.map((v) => (
                  <option key={v.version} value={v.version}>
                    v{v.version}
                  </option>
                ))}
              </select>
            </label>
          </form>
          {diff.error ? <ErrorNote error={diff.error} /> : null}
          {diff.data ? (
            <>
              <p>
                Modules added: {diff.data.structured.diff.modules.added.join(', ') || 'none'} · removed: {diff.data.structured.diff.modules.removed.join(', ') || 'none'} · changed:{' '}
                {diff.data.structured.diff.modules.changed.map((m) => m.name).join(', ') || 'none'} · to regenerate: {diff.data.structured.touchedModules.join(', ') || 'none'}
              </p>
              <TextDiff before={diff.data.before} after={diff.data.after} label={`v${from} → v${to}`} />
            </>
          ) : null}
        </>
      ) : null}
    </Section>
  );
}
