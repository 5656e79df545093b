// The webview's way to core's family counts (it imports src/shared, not src/core/match).
export { familyCounts, NAMED_REFERENCES } from '../core/match/families';
