import { toTenantFailure } from '../../shared/workflows/failureText';

describe('failure messages shown to tenants', () => {
  it('drop stack traces and server paths but keep the reason', () => {
    const error = new Error(`Invalid document id "step~wf-1~ItemService_GenerateService#2": 1–255 characters, none of / \\ ? #.`);
    const raw = `Orchestrator function 'MicroserviceAssembly' failed: ${error.stack}\n    at Object.<anonymous> (file:///work/app/dist/orchestrations/agentTask.js:12:7)\nwhile reading /var/lib/factory/store.sqlite and C:\\factory\\data\\x.json`;
    const shown = toTenantFailure(raw);
    expect(shown).toContain("Orchestrator function 'MicroserviceAssembly' failed");
    expect(shown).toContain('Invalid document id');
    expect(shown).toContain('none of / \\ ? #');
    expect(shown).not.toMatch(/\bat\s.+:\d+:\d+/);
    expect(shown).not.toMatch(/\/work\/|\/var\/lib|C:\\factory|file:/);
    expect(shown).toContain('<path>');
  });

  it('keep ordinary text (slashes in step names, ratios) and cap the length', () => {
    expect(toTenantFailure('BookingService/GenerateService failed: 3/5 checks; a/b')).toBe('BookingService/GenerateService failed: 3/5 checks; a/b');
    expect(toTenantFailure('x'.repeat(5000))).toHaveLength(2000);
  });
});
