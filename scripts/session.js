#!/usr/bin/env node
// A scripted session against a running factory (`npm start`), printing each call and its answer:
// tenant and key, project, the SPEC §8 blueprint and a broken one, a second version and the diff,
// then ProjectBootstrap up to the ArchitectureApproval, approved (or rejected) by an Architect,
// its timeline, usage and the audit trail with its verification.
//
//   node scripts/session.js [--base http://localhost:7071] [--admin-key KEY] [--reject] [--tenant ID]
//
// The admin key is the bootstrap PlatformAdmin key the factory printed at first start (or
// FACTORY_ADMIN_KEY).
const fs = require('node:fs');
const path = require('node:path');
const { parseArgs } = require('node:util');

const { values } = parseArgs({
  options: {
    base: { type: 'string', default: 'http://localhost:7071' },
    'admin-key': { type: 'string', default: process.env.FACTORY_ADMIN_KEY },
    reject: { type: 'boolean', default: false },
    tenant: { type: 'string', default: `demo-${Date.now().toString(36)}` },
    quiet: { type: 'boolean', default: false },
  },
});
if (!values['admin-key']) throw new Error('Pass --admin-key (the bootstrap PlatformAdmin key) or set FACTORY_ADMIN_KEY.');
const root = path.join(__dirname, '..');
const tenant = values.tenant;
const say = (...args) => values.quiet || console.log(...args);

async function call(method, url, { key = values['admin-key'], json, yaml, expect } = {}) {
  const headers = { authorization: `Bearer ${key}` };
  let body;
  if (json !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(json);
  } else if (yaml !== undefined) {
    headers['content-type'] = 'application/yaml';
    body = yaml;
  }
  const res = await fetch(`${values.base}/api/${url}`, { method, headers, body });
  const text = await res.text();
  const data = text ? JSON.parse(text) : undefined;
  say(`\n$ ${method} /api/${url} → ${res.status}`);
  say(JSON.stringify(data, null, 2).split('\n').slice(0, 14).join('\n'));
  if (expect && !expect.includes(res.status)) throw new Error(`${method} ${url}: expected ${expect.join('/')}, got ${res.status}`);
  return data;
}

async function poll(what, check, timeoutMs = 300000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

async function main() {
  say('# Contexts: tenant, key, project, blueprints, diff');
  await call('POST', 'tenants', { json: { tenantId: tenant, name: `Demo ${tenant}`, edition: 'pro' }, expect: [201] });
  const architect = (await call('POST', `tenants/${tenant}/keys`, { json: { name: 'alice', roles: ['Architect'] }, expect: [201] })).secret;
  const admin = (await call('POST', `tenants/${tenant}/keys`, { json: { name: 'ops', roles: ['TenantAdmin'] }, expect: [201] })).secret;
  await call('GET', `tenants/${tenant}/me`, { key: architect, expect: [200] });
  await call('POST', `tenants/${tenant}/projects`, { key: admin, json: { projectId: 'vetclinic', name: 'Vet clinic' }, expect: [201] });
  const vetclinic = fs.readFileSync(path.join(root, 'shared/blueprints/examples/vetclinic.yaml'), 'utf8');
  await call('POST', `tenants/${tenant}/projects/vetclinic/blueprints`, { key: architect, yaml: vetclinic, expect: [201] });
  const broken = await call('POST', `tenants/${tenant}/projects/vetclinic/blueprints`, {
    key: architect,
    yaml: fs.readFileSync(path.join(root, 'shared/blueprints/examples/broken.yaml'), 'utf8'),
    expect: [422],
  });
  say(`\nevery problem with its path:\n${broken.errors.map((e) => `  ${e.path}: ${e.message}`).join('\n')}`);
  const v2 = vetclinic.replace('fields: { petName: string,', 'fields: { petName: string, ownerEmail: email,');
  await call('POST', `tenants/${tenant}/projects/vetclinic/blueprints`, { key: architect, yaml: v2, expect: [201] });
  await call('GET', `tenants/${tenant}/projects/vetclinic/blueprints/diff?from=1&to=2`, { key: architect, expect: [200] });

  say('\n# ProjectBootstrap of the SPEC §8 blueprint (version 1)');
  const started = await call('POST', `tenants/${tenant}/projects/vetclinic/workflows`, { key: admin, json: { kind: 'ProjectBootstrap', blueprintVersion: 1 }, expect: [202] });
  const workflowId = started.workflowId;
  const approval = await poll('the ArchitectureApproval', async () => {
    const res = await fetch(`${values.base}/api/tenants/${tenant}/approvals?status=pending&workflowId=${workflowId}`, { headers: { authorization: `Bearer ${architect}` } });
    return (await res.json()).items?.[0];
  });
  await call('POST', `tenants/${tenant}/approvals/${approval.id}/decision`, {
    key: architect,
    json: values.reject ? { decision: 'reject', comment: 'split notifications differently' } : { decision: 'approve', comment: 'ship it' },
    expect: [200],
  });
  const done = await poll('the end of the workflow', async () => {
    const res = await fetch(`${values.base}/api/tenants/${tenant}/projects/vetclinic/workflows/${workflowId}`, { headers: { authorization: `Bearer ${admin}` } });
    const w = await res.json();
    return w.status !== 'Running' ? w : undefined;
  });
  say(`\nworkflow ${workflowId}: ${done.status}${done.failure ? ` (${done.failure})` : ''}`);
  for (const s of done.timeline) say(`  ${s.status.padEnd(9)} ${s.step.padEnd(40)} ${(s.agent ?? '').padEnd(26)} attempts ${s.attempts}  artifacts ${s.artifacts.length}`);
  if (done.summary?.commit) say(`committed ${done.summary.artifacts} artifacts to ${done.summary.commit.branch} @ ${done.summary.commit.sha}`);
  const expected = values.reject ? 'Rejected' : 'Completed';
  if (done.status !== expected) throw new Error(`workflow ended ${done.status}, expected ${expected}`);
  if (values.reject && done.summary?.commit) throw new Error('a rejected workflow committed artifacts');

  say('\n# Usage, audit trail, verification');
  const usage = await call('GET', `tenants/${tenant}/usage`, { key: admin, expect: [200] });
  say(`\nusage: ${usage.totals.records} agent tasks, by skill: ${usage.bySkill.map((s) => `${s.name}×${s.records}`).join(', ')}`);
  if (usage.totals.records === 0) throw new Error('no usage was recorded');
  await new Promise((r) => setTimeout(r, 500));
  const audit = await call('GET', `tenants/${tenant}/audit?limit=1000`, { key: admin, expect: [200] });
  const counts = {};
  for (const e of audit.items) counts[e.action] = (counts[e.action] ?? 0) + 1;
  say(`\naudit entries by action: ${JSON.stringify(counts)}`);
  const verified = await call('GET', `tenants/${tenant}/audit/verify`, { key: admin, expect: [200] });
  if (!verified.ok) throw new Error('the audit chain does not verify');
  say(`\nsession done: tenant ${tenant}, workflow ${workflowId} ${done.status}`);
}

main().catch((error) => {
  console.error(`session failed: ${error.message}`);
  process.exit(1);
});
