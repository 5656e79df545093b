// The sentences about the evidence beside the weights (tokenizer lineage, configuration side by side, declared
// claims), for the editor: the same words as the CLI and the review notes (src/core/sidecars/phrases.ts, browser-safe),
// so that the webview, which imports no src/core module but l10n, invisible and auditPhrases, says them too.
export { CONFIG_FACT_KEY, claimCheckLine, configComparisonLine, tokenizerReasonWord, tokenizerRelationWord } from '../core/sidecars/phrases';
