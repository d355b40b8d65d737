import { validateBlueprint, type Blueprint } from '../../shared/blueprints';
import { toBicep } from '../../shared/skills/bicep/generateBicep';
import { validateBicepText } from '../../shared/skills/bicep/validateBicep';
import { documentWith } from '../blueprints/support';

function blueprintWith(module: object): Blueprint {
  const result = validateBlueprint(documentWith([{ name: 'LendingService', kind: 'microservice', ...module }]));
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  return result.blueprint;
}

function bicepOf(module: object): { text: string; blueprint: Blueprint } {
  const blueprint = blueprintWith(module);
  return { text: toBicep(blueprint, blueprint.spec.modules[0]), blueprint };
}

const serviceBus = { infrastructure: { queue: 'azure-service-bus' } };

/** The `rules` array of the Container App's `scale` block. */
function scaleRulesOf(text: string): string {
  const match = /scale: \{[\s\S]*?rules: (\[[\s\S]*?\n {8}\]|\[\])/.exec(text);
  if (!match) throw new Error('no scale rules in the template');
  return match[1];
}

describe('Bicep: Container Apps scale rules from the blueprint', () => {
  it('turns a queueLength trigger into an azure-servicebus rule on that queue, with the managed identity, and declares the queue', () => {
    const { text, blueprint } = bicepOf({ ...serviceBus, scaling: { minReplicas: 0, maxReplicas: 10, triggers: [{ type: 'queueLength', queue: 'lending-commands', threshold: 50 }, { type: 'cpu', threshold: 75 }] } });
    const rules = scaleRulesOf(text);
    expect(rules).toMatch(
      /name: 'queue-lending-commands'\n\s+custom: \{\n\s+type: 'azure-servicebus'\n\s+metadata: \{\n\s+namespace: serviceBus.name\n\s+queueName: 'lending-commands'\n\s+messageCount: '50'\n\s+\}\n\s+identity: identity.id/,
    );
    expect(rules).toMatch(/name: 'cpu'\n\s+custom: \{\n\s+type: 'cpu'/);
    expect(text).toMatch(/resource queueLendingCommands 'Microsoft.ServiceBus\/namespaces\/queues@[\d-]+(-preview)?' = \{\n {2}parent: serviceBus\n {2}name: 'lending-commands'/);
    expect(text).toContain('resource serviceBusReceiver ');
    expect(text).toMatch(/minReplicas: 0\n\s+maxReplicas: 10/);
    expect(validateBicepText(text, blueprint, blueprint.spec.modules[0])).toEqual([]);
  });

  it('gives every named queue its own declaration and a valid, distinct rule name, whatever characters the name has', () => {
    const triggers = [
      { type: 'queueLength', queue: 'Orders.In', threshold: 5 },
      { type: 'queueLength', queue: 'orders/in', threshold: 7 },
      { type: 'queueLength', queue: 'orders_in', threshold: 9 },
    ];
    const { text, blueprint } = bicepOf({ ...serviceBus, scaling: { minReplicas: 1, maxReplicas: 4, triggers } });
    expect(validateBicepText(text, blueprint, blueprint.spec.modules[0])).toEqual([]);
    for (const { queue, threshold } of triggers) {
      expect(text).toMatch(new RegExp(`parent: serviceBus\\n {2}name: '${queue.replace(/[./]/g, '\\$&')}'`));
      expect(scaleRulesOf(text)).toMatch(new RegExp(`queueName: '${queue.replace(/[./]/g, '\\$&')}'\\n\\s+messageCount: '${threshold}'`));
    }
    const ruleNames = [...scaleRulesOf(text).matchAll(/^\s+name: '([^']+)'$/gm)].map((match) => match[1]);
    expect(new Set(ruleNames).size).toBe(ruleNames.length);
    for (const name of ruleNames) expect(name).toMatch(/^[a-z0-9]([a-z0-9.-]{0,61}[a-z0-9])?$/);
  });

  it("declares a queue once when a queueLength trigger names the module's own work queue", () => {
    const { text, blueprint } = bicepOf({ ...serviceBus, scaling: { minReplicas: 0, maxReplicas: 3, triggers: [{ type: 'queue', threshold: 20 }, { type: 'queueLength', queue: 'lending-service-work', threshold: 20 }] } });
    expect(text.match(/name: 'lending-service-work'\n/g)).toHaveLength(1);
    expect(scaleRulesOf(text).match(/queueName: 'lending-service-work'/g)).toHaveLength(1);
    expect(validateBicepText(text, blueprint, blueprint.spec.modules[0])).toEqual([]);
  });

  it('flags a template whose named queue or its scale rule is missing', () => {
    const { text, blueprint } = bicepOf({ ...serviceBus, scaling: { minReplicas: 0, maxReplicas: 10, triggers: [{ type: 'queueLength', queue: 'lending-commands', threshold: 50 }] } });
    const module = blueprint.spec.modules[0];
    const withoutQueue = text.replace(/resource queueLendingCommands [\s\S]*?\n\}\n/, '');
    expect(validateBicepText(withoutQueue, blueprint, module)).toContain('missing Service Bus queue lending-commands');
    const withoutRule = text.replace("queueName: 'lending-commands'", "queueName: 'something-else'");
    expect(validateBicepText(withoutRule, blueprint, module)).toContain('missing the azure-servicebus scale rule on queue lending-commands');
  });
});
