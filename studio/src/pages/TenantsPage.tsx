import { useState, type FormEvent } from 'react';
import { Link } from 'wouter';
import type { ApiClient } from '../api/client';
import type { Tenant } from '../api/types';
import { ErrorNote, Section, Time } from '../components/common';

const SEEN_KEY = 'factory-studio.tenants';

/**
 * PlatformAdmin: create a tenant, or open one by id. The API has no cross-tenant list (each tenant
 * lives in its own partition), so the page lists the tenants opened or created in this session.
 */
export default function TenantsPage({ api }: { api: ApiClient }) {
  const [seen, setSeen] = useState<Tenant[]>(() => JSON.parse(sessionStorage.getItem(SEEN_KEY) ?? '[]') as Tenant[]);
  const [form, setForm] = useState({ tenantId: '', name: '', edition: 'pro' });
  const [open, setOpen] = useState('');
  const [error, setError] = useState<unknown>();

  const remember = (tenant: Tenant) => {
    const next = [tenant, ...seen.filter((t) => t.tenantId !== tenant.tenantId)].slice(0, 50);
    sessionStorage.setItem(SEEN_KEY, JSON.stringify(next));
    setSeen(next);
  };
  const create = async (event: FormEvent) => {
    event.preventDefault();
    setError(undefined);
    try {
      remember(await api.post<Tenant>('tenants', { tenantId: form.tenantId, name: form.name || form.tenantId, edition: form.edition }));
    } catch (e) {
      setError(e);
    }
  };
  const lookUp = async (event: FormEvent) => {
    event.preventDefault();
    setError(undefined);
    try {
      remember(await api.withRoles(true, open).get<Tenant>(`tenants/${encodeURIComponent(open)}`));
    } catch (e) {
      setError(e);
    }
  };

  return (
    <>
      <h1>Tenants</h1>
      {error ? <ErrorNote error={error} /> : null}
      <Section title="Create a tenant">
        <form className="row" onSubmit={create}>
          <label>
            Tenant id
            <input value={form.tenantId} onChange={(e) => setForm({ ...form, tenantId: e.target.value })} required />
          </label>
          <label>
            Name
            <input value={form.name} onChange={(e) => setForm({ ...form, name: e.target.value })} />
          </label>
          <label>
            Edition
            <select value={form.edition} onChange={(e) => setForm({ ...form, edition: e.target.value })}>
              <option value="free">free</option>
              <option value="pro">pro</option>
              <option value="enterprise">enterprise</option>
            </select>
          </label>
          <button type="submit">Create tenant</button>
        </form>
      </Section>
      <Section title="Open a tenant">
        <form className="row" onSubmit={lookUp}>
          <label>
            Tenant id
            <input value={open} onChange={(e) => setOpen(e.target.value)} required />
          </label>
          <button type="submit" className="secondary">
            Open
          </button>
        </form>
        {seen.length ? (
          <table>
            <thead>
              <tr>
                <th scope="col">Tenant</th>
                <th scope="col">Edition</th>
                <th scope="col">Created</th>
              </tr>
            </thead>
            <tbody>
              {seen.map((tenant) => (
                <tr key={tenant.tenantId}>
                  <th scope="row">
                    <Link href={`/t/${tenant.tenantId}/projects`}>{tenant.name}</Link> <span className="muted small">({tenant.tenantId})</span>
                  </th>
                  <td>{tenant.edition}</td>
                  <td>
                    <Time at={tenant.createdAt} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : (
          <p className="muted">No tenant opened in this session yet.</p>
        )}
      </Section>
    </>
  );
}
