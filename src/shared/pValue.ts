// The p-value format of every view (src/core/match/pValue.ts), for the webview, which imports core only through here.
export { formatP, formatPValue } from '../core/match/pValue';
