import { contentHash, toCanonicalJson } from './canonical';
import { checkSemantics } from './checks';
import { checkCounts, checkDocumentShape } from './limits';
import { toProblems, type LocatedProblem, type Problem } from './problems';
import { fromSchemaIssues } from './schemaProblems';
import { blueprintSchema, type Blueprint } from './schemas';
import { readSource, type BlueprintFormat } from './source';

/** A checked document: the normalized blueprint, or every problem found. */
export type BlueprintValidation = { ok: true; blueprint: Blueprint } | { ok: false; problems: Problem[] };

/**
 * The outcome of reading blueprint text. When valid: the normalized blueprint, its canonical JSON
 * and that JSON's sha256 (`contentHash`). When not: every problem at once, ordered by path.
 */
export type BlueprintParseResult =
  | { ok: true; format: BlueprintFormat; blueprint: Blueprint; canonical: string; contentHash: string }
  | { ok: false; format: BlueprintFormat; problems: Problem[] };

/**
 * Checks a document that is already plain data (e.g. a parsed JSON body) against the schema and the
 * semantic rules; the semantic rules run even when the schema fails, over what can be read.
 */
export function validateBlueprint(document: unknown): BlueprintValidation {
  const { blueprint, problems } = check(document);
  return blueprint && problems.length === 0 ? { ok: true, blueprint } : { ok: false, problems: toProblems(problems) };
}

function check(document: unknown): { blueprint?: Blueprint; problems: LocatedProblem[] } {
  const shape = checkDocumentShape(document);
  if (shape.length) return { problems: shape };
  const parsed = blueprintSchema.safeParse(document);
  const problems = [...(parsed.success ? [] : fromSchemaIssues(parsed.error.issues, document)), ...checkCounts(document), ...checkSemantics(document)];
  return { blueprint: parsed.data && withDefaultMessaging(parsed.data), problems };
}

/**
 * A module that emits or consumes events and names no `infrastructure.queue` gets
 * `azure-service-bus`: its events need topics and subscriptions to travel (SPEC §8: every accepted
 * setting is applied). Written into the normalized blueprint, so the generators and the hash see it.
 */
export function withDefaultMessaging(blueprint: Blueprint): Blueprint {
  const modules = blueprint.spec.modules.map((module) => {
    const hasEvents = module.events.emits.length > 0 || module.events.consumes.length > 0;
    if (!hasEvents || module.infrastructure?.queue !== undefined) return module;
    return { ...module, infrastructure: { ...module.infrastructure, queue: 'azure-service-bus' as const } };
  });
  return { ...blueprint, spec: { ...blueprint.spec, modules } };
}

/**
 * Reads a blueprint written in YAML or JSON (`contentType` decides when given, else the text does)
 * and validates it. Syntax problems have the path '' and say line and column; duplicate keys are
 * reported at their path. A document that cannot be read at all yields only its syntax problems.
 */
export function parseBlueprint(text: string, contentType?: string): BlueprintParseResult {
  const { format, value, problems: syntax } = readSource(text, contentType);
  if (value === undefined) return { ok: false, format, problems: toProblems(syntax) };
  const { blueprint, problems } = check(value);
  if (blueprint && syntax.length === 0 && problems.length === 0) {
    return { ok: true, format, blueprint, canonical: toCanonicalJson(blueprint), contentHash: contentHash(blueprint) };
  }
  return { ok: false, format, problems: toProblems([...syntax, ...problems]) };
}
