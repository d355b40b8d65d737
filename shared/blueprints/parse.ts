import { contentHash, toCanonicalJson } from './canonical';
import { checkSemantics } from './checks';
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
  const parsed = blueprintSchema.safeParse(document);
  const problems = [...(parsed.success ? [] : fromSchemaIssues(parsed.error.issues, document)), ...checkSemantics(document)];
  return { blueprint: parsed.data, problems };
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
