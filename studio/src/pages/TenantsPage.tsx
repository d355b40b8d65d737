import { useEffect, useState, type FormEvent } from 'react';
import { Link } from 'wouter';
import type { ApiClient } from '../api/client';
import type { Page, Tenant } from '../api/types';
import { Badge, ErrorNote, Loading, Pager, Section, Time } from '../components/common';

const PAGE_SIZE = 50;

/**
 * PlatformAdmin: every tenant (`GET /api/tenants`, oldest first, 50 a page with "Load more"), create
 * a tenant, or open one by id (it is put at the top of the list).
 */
export default function TenantsPage({ api }: { api: ApiClient }) {
  const [tenants, setTenants] = useState<Tenant[]>();
  const [continuation, setContinuation] = useState<string>();
  const [loading, setLoading] = useState(false);
  const [form, setForm] = useState({ tenantId: '', name: '', edition: 'pro' });
  const [open, setOpen] = useState('');
  const [error, setError] = useState<unknown>();

  const load = async (from?: string) => {
    setError(undefined);
    setLoading(true);
    try {
      const page = await api.get<Page<Tenant>>('tenants', { limit: PAGE_SIZE, continuation: from });
      setTenants((prev) => (from ? [...(prev ?? []), ...page.items.filter((t) => !prev?.some((p) => p.tenantId === t.tenantId))] : page.items));
      setContinuation(page.continuation);
    } catch (e) {
      setError(e);
      setTenants((prev) => prev ?? []);
    } finally {
      setLoading(false);
    }
  };
  useEffect(() => {
    void load();
  }, [api]);

  const remember = (tenant: Tenant) => setTenants((prev) => [tenant, ...(prev ?? []).filter((t) => t.tenantId !== tenant.tenantId)]);
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
      <Section title="All tenants">
        <form className="row" onSubmit={lookUp}>
          <label>
            Tenant id
            <input value={open} onChange={(e) => setOpen(e.target.value)} required />
          </label>
          <button type="submit" className="secondary">
            Open
          </button>
        </form>
        {!tenants ? (
          <Loading what="Loading tenants" />
        ) : tenants.length ? (
          <table>
            <thead>
              <tr>
                <th scope="col">Tenant</th>
                <th scope="col">Edition</th>
                <th scope="col">Status</th>
                <th scope="col">Created</th>
              </tr>
            </thead>
            <tbody>
              {tenants.map((tenant) => (
                <tr key={tenant.tenantId}>
                  <th scope="row">
                    <Link href={`/t/${tenant.tenantId}/projects`}>{tenant.name}</Link> <span className="muted small">({tenant.tenantId})</span>
                  </th>
                  <td>{tenant.edition}</td>
                  <td>
                    <Badge status={tenant.status ?? 'active'} />
                  </td>
                  <td>
                    <Time at={tenant.createdAt} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : (
          <p className="muted">No tenant yet.</p>
        )}
        <Pager continuation={continuation} onMore={() => void load(continuation)} loading={loading} />
      </Section>
    </>
  );
}
