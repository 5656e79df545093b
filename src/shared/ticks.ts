// The charts' axis ticks for the webview (which takes core code only through src/shared): the same 1-2-5 ticks
// as the HTML export's charts.
export { niceScale } from '../core/ticks';
