import { z } from 'zod';

/** The commercial editions a tenant can be on. */
export const EDITIONS = ['free', 'pro', 'enterprise'] as const;
export const editionSchema = z.enum(EDITIONS);
export type Edition = z.infer<typeof editionSchema>;

/** The editions at or below `edition` (free < pro < enterprise): what a blueprint of this tenant may ask for. */
export function editionsUpTo(edition: Edition): Edition[] {
  return EDITIONS.slice(0, EDITIONS.indexOf(edition) + 1);
}

/** Capabilities an edition includes and a per-tenant feature flag can switch on or off. */
export const FEATURES = ['production-releases', 'drift-remediation', 'sprint-execution', 'azure-deployments'] as const;
export const featureSchema = z.enum(FEATURES);
export type Feature = z.infer<typeof featureSchema>;

/** Model providers an agent's model policy may name. */
export const MODEL_PROVIDERS = ['builtin', 'azure-openai'] as const;
export type ModelProvider = (typeof MODEL_PROVIDERS)[number];

/** What an edition entitles a tenant to; the quotas are enforced where they bite. */
export interface EditionEntitlements {
  maxProjects: number;
  maxConcurrentWorkflows: number;
  /** Model tokens per calendar month, all projects together. */
  monthlyTokenBudget: number;
  allowedModelProviders: readonly ModelProvider[];
  features: readonly Feature[];
  /** Blueprint versions a project keeps (submissions of new content beyond it answer 429). */
  maxBlueprintVersionsPerProject: number;
  /** API keys a tenant holds, revoked ones not counted. */
  maxApiKeys: number;
  /** Artifact versions a project keeps. */
  maxArtifactsPerProject: number;
}

/** The editions as data: changing a plan is a change here, not in the code that checks it. */
export const EDITION_ENTITLEMENTS: Record<Edition, EditionEntitlements> = {
  free: {
    maxProjects: 2,
    maxConcurrentWorkflows: 1,
    monthlyTokenBudget: 200_000,
    allowedModelProviders: ['builtin'],
    features: [],
    maxBlueprintVersionsPerProject: 50,
    maxApiKeys: 10,
    maxArtifactsPerProject: 2_000,
  },
  pro: {
    maxProjects: 25,
    maxConcurrentWorkflows: 10,
    monthlyTokenBudget: 10_000_000,
    allowedModelProviders: ['builtin', 'azure-openai'],
    features: ['production-releases', 'sprint-execution'],
    maxBlueprintVersionsPerProject: 1_000,
    maxApiKeys: 100,
    maxArtifactsPerProject: 100_000,
  },
  enterprise: {
    maxProjects: 1_000,
    maxConcurrentWorkflows: 100,
    monthlyTokenBudget: 500_000_000,
    allowedModelProviders: ['builtin', 'azure-openai'],
    features: ['production-releases', 'drift-remediation', 'sprint-execution', 'azure-deployments'],
    maxBlueprintVersionsPerProject: 10_000,
    maxApiKeys: 1_000,
    maxArtifactsPerProject: 1_000_000,
  },
};

/** Per-tenant overrides of the edition's features: `true` grants, `false` withdraws. */
export type FeatureFlags = Partial<Record<Feature, boolean>>;

/** The edition's entitlements with the tenant's feature flags applied. */
export function toEffectiveEntitlements(edition: Edition, flags: FeatureFlags): EditionEntitlements {
  const base = EDITION_ENTITLEMENTS[edition];
  const features = FEATURES.filter((feature) => flags[feature] ?? base.features.includes(feature));
  return { ...base, allowedModelProviders: [...base.allowedModelProviders], features };
}
