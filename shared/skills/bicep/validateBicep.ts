import type { Blueprint, BlueprintModule } from '../../blueprints/schemas';
import { cosmosPlanOf, messagingPlanOf } from '../infrastructurePlan';
import { namedQueuesOf } from './dataResources';

const CLOSERS: Record<string, string> = { '}': '{', ']': '[', ')': '(' };

/** Unbalanced brackets outside strings and comments; `${…}` inside a string is code. */
function bracketFailures(text: string): string[] {
  const stack: { char: string; line: number }[] = [];
  let line = 1;
  for (let index = 0; index < text.length; index++) {
    const char = text[index];
    const top = stack[stack.length - 1];
    if (char === '\n') line++;
    if (top?.char === "'") {
      if (char === '\\') index++;
      else if (char === "'") stack.pop();
      else if (char === '$' && text[index + 1] === '{') {
        stack.push({ char: '${', line });
        index++;
      }
      continue;
    }
    if (char === '/' && text[index + 1] === '/') {
      while (index < text.length && text[index + 1] !== '\n') index++;
    } else if (char === "'" || char === '{' || char === '[' || char === '(') {
      stack.push({ char, line });
    } else if (char in CLOSERS) {
      const open = stack.pop();
      const expected = CLOSERS[char];
      if (!open || (open.char !== expected && !(char === '}' && open.char === '${'))) return [`line ${line}: '${char}' closes ${open ? `'${open.char}' of line ${open.line}` : 'nothing'}`];
    }
  }
  return stack.length ? [`'${stack[stack.length - 1].char}' of line ${stack[stack.length - 1].line} is never closed`] : [];
}

/**
 * Every structural failure of a generated Bicep file (the Bicep CLI is not available here): brackets
 * and strings balanced, every `param` used, symbolic names unique, API versions on every resource,
 * no `listKeys`/connection strings/keys; given the module, the resources its blueprint asks for.
 */
export function validateBicepText(text: string, blueprint?: Blueprint, module?: BlueprintModule): string[] {
  const failures = bracketFailures(text);
  const code = text.replace(/\/\/.*$/gm, '');
  for (const [, name] of code.matchAll(/^param (\w+) /gm)) {
    if ((code.match(new RegExp(`\\b${name}\\b`, 'g')) ?? []).length < 2) failures.push(`param ${name} is never used`);
  }
  const symbols = new Map<string, number>();
  for (const [, keyword, name] of code.matchAll(/^(param|var|resource|output) (\w+)/gm)) {
    if (symbols.has(name)) failures.push(`${keyword} ${name} is declared twice`);
    symbols.set(name, 1);
  }
  for (const [, name, type] of code.matchAll(/^resource (\w+) '([^']*)'/gm)) {
    if (!/^[A-Za-z.]+\/[A-Za-z/]+@\d{4}-\d{2}-\d{2}(-preview)?$/.test(type)) failures.push(`resource ${name} has no API version: '${type}'`);
  }
  if (/\blistKeys\s*\(|\blistConnectionStrings\s*\(/.test(code)) failures.push('reads keys (listKeys/listConnectionStrings); use the managed identity');
  if (/AccountKey=|SharedAccessKey=|connectionString/i.test(code)) failures.push('contains a key or connection string');
  if (blueprint && module) failures.push(...expectedResources(code, blueprint, module));
  return failures;
}

function expectedResources(code: string, blueprint: Blueprint, module: BlueprintModule): string[] {
  const expect: [string, RegExp][] = [
    ['a user-assigned managed identity', /'Microsoft\.ManagedIdentity\/userAssignedIdentities@/],
    [module.kind === 'function' ? 'a Flex Consumption Function App' : 'a Container App', module.kind === 'function' ? /tier: 'FlexConsumption'/ : /'Microsoft\.App\/containerApps@/],
  ];
  const cosmos = cosmosPlanOf(module);
  if (cosmos) {
    expect.push(['the Cosmos data contributor assignment', /sqlRoleAssignments@/]);
    for (const container of cosmos.containers) expect.push([`Cosmos container ${container.name}`, new RegExp(`name: '${container.name}'`)]);
  }
  const messaging = messagingPlanOf(blueprint, module);
  if (messaging.emittedTopics.length) expect.push(['the Service Bus sender assignment', /resource serviceBusSender /]);
  const namedQueues = messaging.serviceBus ? namedQueuesOf(module) : [];
  for (const queue of namedQueues) {
    expect.push([`Service Bus queue ${queue}`, new RegExp(`namespaces/queues@[^']*' = \\{\\n  parent: serviceBus\\n  name: '${escapeRegExp(queue)}'`)]);
    if (module.kind !== 'function') expect.push([`the azure-servicebus scale rule on queue ${queue}`, new RegExp(`type: 'azure-servicebus'\\n\\s*metadata: \\{\\n\\s*namespace: serviceBus.name\\n\\s*queueName: '${escapeRegExp(queue)}'\\n\\s*messageCount: '\\d+'\\n\\s*\\}\\n\\s*identity: identity.id`)]);
  }
  if (messaging.subscriptions.length || messaging.queue || namedQueues.length) expect.push(['the Service Bus receiver assignment', /resource serviceBusReceiver /]);
  for (const entry of messaging.subscriptions) expect.push([`subscription to ${entry.topic}`, new RegExp(`parent: topic\\w+\\n  name: '${entry.subscription}'`)]);
  return expect.filter(([, pattern]) => !pattern.test(code)).map(([what]) => `missing ${what}`);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}
