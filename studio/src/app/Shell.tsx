import { lazy, Suspense, useEffect, useMemo, useState } from 'react';
import { Link, Redirect, Route, Switch, useLocation, useRoute } from 'wouter';
import type { ApiClient } from '../api/client';
import type { Me } from '../api/types';
import { Loading } from '../components/common';
import { StudioContext } from './context';
import { can } from './roles';
import { ProjectsPage } from '../pages/ProjectsPage';
import { WorkflowsPage } from '../pages/WorkflowsPage';

const TenantsPage = lazy(() => import('../pages/TenantsPage'));
const BlueprintPage = lazy(() => import('../pages/BlueprintPage'));
const RunPage = lazy(() => import('../pages/RunPage'));
const ApprovalsPage = lazy(() => import('../pages/ApprovalsPage'));
const ArtifactsPage = lazy(() => import('../pages/ArtifactsPage'));
const AuditPage = lazy(() => import('../pages/AuditPage'));
const CostsPage = lazy(() => import('../pages/CostsPage'));
const DeliveryPage = lazy(() => import('../pages/DeliveryPage'));

type Theme = 'light' | 'dark';

function useTheme(): [Theme, () => void] {
  const [theme, setTheme] = useState<Theme>(() => (localStorage.getItem('factory-studio.theme') as Theme | null) ?? (matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light'));
  useEffect(() => {
    document.documentElement.dataset.theme = theme;
    localStorage.setItem('factory-studio.theme', theme);
  }, [theme]);
  return [theme, () => setTheme((t) => (t === 'dark' ? 'light' : 'dark'))];
}

function NavLink({ href, children }: { href: string; children: string }) {
  const [location] = useLocation();
  const active = location === href || location.startsWith(`${href}/`);
  return (
    <Link href={href} className={active ? 'active' : undefined} aria-current={active ? 'page' : undefined}>
      {children}
    </Link>
  );
}

function Nav({ me, tenantId }: { me: Me; tenantId?: string }) {
  const [, params] = useRoute('/t/:tenant/p/:project/*?');
  const project = params?.project;
  return (
    <nav aria-label="Main">
      {me.roles.includes('PlatformAdmin') ? <NavLink href="/tenants">Tenants</NavLink> : null}
      {tenantId ? (
        <>
          <NavLink href={`/t/${tenantId}/projects`}>Projects</NavLink>
          <NavLink href={`/t/${tenantId}/approvals`}>Approvals</NavLink>
          {can(me, 'readAudit') ? <NavLink href={`/t/${tenantId}/audit`}>Audit</NavLink> : null}
          {can(me, 'readCosts') ? <NavLink href={`/t/${tenantId}/costs`}>Costs</NavLink> : null}
        </>
      ) : null}
      {tenantId && project ? (
        <div className="subnav" role="group" aria-label={`Project ${project}`}>
          <span className="muted small">{project}</span>
          <NavLink href={`/t/${tenantId}/p/${project}/blueprint`}>Blueprint</NavLink>
          <NavLink href={`/t/${tenantId}/p/${project}/workflows`}>Workflows</NavLink>
          <NavLink href={`/t/${tenantId}/p/${project}/artifacts`}>Artifacts</NavLink>
          <NavLink href={`/t/${tenantId}/p/${project}/delivery`}>Delivery</NavLink>
        </div>
      ) : null}
    </nav>
  );
}

/** Pages of one tenant; a principal of another tenant is stopped here, before any call. */
function TenantScope({ api, me, signOut }: { api: ApiClient; me: Me; signOut(): void }) {
  const [, params] = useRoute('/t/:tenant/*?');
  const tenantId = params!.tenant;
  const allowed = me.roles.includes('PlatformAdmin') || me.tenantId === tenantId;
  const studio = useMemo(() => ({ api: api.withRoles(me.roles.includes('PlatformAdmin'), tenantId), me, tenantId, signOut }), [api, me, tenantId, signOut]);
  if (!allowed) return <p className="error" role="alert">You are signed in to tenant '{me.tenantId}'; tenant '{tenantId}' is not yours.</p>;
  return (
    <StudioContext.Provider value={studio}>
      <Suspense fallback={<Loading />}>
        <Switch>
          <Route path="/t/:tenant/projects" component={ProjectsPage} />
          <Route path="/t/:tenant/approvals" component={ApprovalsPage} />
          <Route path="/t/:tenant/audit" component={AuditPage} />
          <Route path="/t/:tenant/costs" component={CostsPage} />
          <Route path="/t/:tenant/p/:project/blueprint" component={BlueprintPage} />
          <Route path="/t/:tenant/p/:project/workflows" component={WorkflowsPage} />
          <Route path="/t/:tenant/p/:project/workflows/:workflowId" component={RunPage} />
          <Route path="/t/:tenant/p/:project/artifacts" component={ArtifactsPage} />
          <Route path="/t/:tenant/p/:project/artifacts/:artifactId" component={ArtifactsPage} />
          <Route path="/t/:tenant/p/:project/delivery" component={DeliveryPage} />
          <Route>
            <Redirect to={`/t/${tenantId}/projects`} replace />
          </Route>
        </Switch>
      </Suspense>
    </StudioContext.Provider>
  );
}

export function Shell({ api, me, homeTenant, signOut }: { api: ApiClient; me: Me; homeTenant: string; signOut(): void }) {
  const [theme, toggleTheme] = useTheme();
  const [, params] = useRoute('/t/:tenant/*?');
  const tenantId = params?.tenant ?? me.tenantId ?? homeTenant;
  return (
    <div className="layout">
      <a className="skip" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <span className="brand">Factory Studio</span>
        <span className="muted small" aria-label="Signed in as">
          {me.name ?? me.id} · {me.roles.join(', ')} · tenant {tenantId}
        </span>
        <span className="spacer" />
        <button type="button" className="secondary" onClick={toggleTheme} aria-label={`Switch to ${theme === 'dark' ? 'light' : 'dark'} theme`}>
          {theme === 'dark' ? 'Light' : 'Dark'}
        </button>
        <button type="button" className="secondary" onClick={signOut}>
          Sign out
        </button>
      </header>
      <Nav me={me} tenantId={tenantId} />
      <main id="main" tabIndex={-1}>
        <Suspense fallback={<Loading />}>
          <Switch>
            <Route path="/tenants">{me.roles.includes('PlatformAdmin') ? <TenantsPage api={api} /> : <p className="error">Only a PlatformAdmin manages tenants.</p>}</Route>
            <Route path="/t/:tenant/*?">
              <TenantScope api={api} me={me} signOut={signOut} />
            </Route>
            <Route>
              <Redirect to={`/t/${tenantId}/projects`} replace />
            </Route>
          </Switch>
        </Suspense>
      </main>
    </div>
  );
}
