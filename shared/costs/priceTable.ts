import type { FactoryConfig } from '../platform/config';

/** USD prices of one model (or Azure OpenAI deployment): per 1,000 tokens, plus compute time. */
export interface ModelPrice {
  inputUsdPer1K: number;
  outputUsdPer1K: number;
  /** Per second of `durationMs`; what a `builtin` (deterministic) skill costs. */
  computeUsdPerSecond?: number;
}

/** Prices by model name; `default` prices any model the table does not name. */
export type PriceTable = Readonly<Record<string, ModelPrice>>;

/**
 * List prices (USD, global standard deployments) the estimates start from. Unknown models are priced
 * like `gpt-4o`, so that a budget errs on the side of caution. `FACTORY_PRICE_TABLE` overrides or
 * adds entries by model or deployment name.
 */
export const DEFAULT_PRICE_TABLE: PriceTable = {
  builtin: { inputUsdPer1K: 0, outputUsdPer1K: 0, computeUsdPerSecond: 0.000016 },
  'gpt-4o': { inputUsdPer1K: 0.0025, outputUsdPer1K: 0.01 },
  'gpt-4o-mini': { inputUsdPer1K: 0.00015, outputUsdPer1K: 0.0006 },
  'gpt-4.1': { inputUsdPer1K: 0.002, outputUsdPer1K: 0.008 },
  'gpt-4.1-mini': { inputUsdPer1K: 0.0004, outputUsdPer1K: 0.0016 },
  default: { inputUsdPer1K: 0.0025, outputUsdPer1K: 0.01 },
};

/** The defaults with the configured overrides (already validated by the config schema) on top. */
export function toPriceTable(override: FactoryConfig['FACTORY_PRICE_TABLE'] = undefined): PriceTable {
  return { ...DEFAULT_PRICE_TABLE, ...(override ?? {}) };
}

/** What a usage record is priced by. */
export interface PricedUsage {
  provider: string;
  model: string;
  tokensIn: number;
  tokensOut: number;
  durationMs: number;
}

/** The estimate in nano-USD (an integer, so sums are exact) and the table entry it used: the model, else the provider, else `default`. */
export function toCostEstimate(prices: PriceTable, usage: PricedUsage): { costNanoUsd: number; priceKey: string } {
  const priceKey = [usage.model, usage.provider, 'default'].find((key) => Object.prototype.hasOwnProperty.call(prices, key)) ?? 'default';
  const price = prices[priceKey] ?? DEFAULT_PRICE_TABLE.default;
  const usd =
    (usage.tokensIn / 1000) * price.inputUsdPer1K + (usage.tokensOut / 1000) * price.outputUsdPer1K + (usage.durationMs / 1000) * (price.computeUsdPerSecond ?? 0);
  return { costNanoUsd: Math.round(usd * 1e9), priceKey };
}

/** Nano-USD to USD, for views and events. */
export function toUsd(nanoUsd: number): number {
  return nanoUsd / 1e9;
}
