// Public API of the architecture catalogue (catalogue/architectures.json, docs/catalogue.md).
export { loadCatalogue, validateCatalogue, defaultCataloguePath, CatalogueError, type Catalogue, type Family, type Variant, type Layout, type TensorTemplate, type ComponentKind } from './catalogue';
export { architectureRows, MAX_MATCHES_PER_COMPONENT, type ArchitectureMatchRow } from './summary';
export { matchArchitecture, isClaim, suggestedRepos, exampleTensors, configKeys, type ArchitectureReport, type ComponentArchitecture, type FamilyMatch, type ArchitectureConfidence, type ArchitectureFacts, type NamedShape } from './match';
export { architectureRuleText, architectureSummaryText, dimsText, type ArchitectureRule, type ArchitectureSummary, type DimSize, type ShownDim } from './phrases';
