// The core's rules that a front end offers, read from the wasm (pkg's `language()`,
// `quoteValue()`, `propertyTerm()`): search fields with their help, examples, the status
// labels in order with their meanings, the filter keys and the compare limits. No view
// keeps its own copy of them, so the page, the notebook and the CLI cannot drift apart.
// Call these only once the core is initialised: the views render after a store is open.
import { language as coreLanguage, quoteValue, propertyTerm, checkAlertRule, parseDuration } from '../pkg/mlmd_lens.js';

/** @type {ReturnType<typeof coreLanguage> | undefined} */
let cached;

/**
 * The search language and view rules of the core (asked once, then cached):
 * `{ fields[{name, kind, help}], operators[], keywords[], examples[{query, meaning}],
 *    statuses[{label, meaning}], filterKeys[], sortColumns[], compare{min, max} }`.
 * @returns {ReturnType<typeof coreLanguage>}
 */
export function language() {
  cached ??= coreLanguage();
  return cached;
}

export { quoteValue, propertyTerm, checkAlertRule, parseDuration };
