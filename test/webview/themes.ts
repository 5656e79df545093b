// A small set of VS Code theme variables (Light Modern, Dark Modern, High Contrast Black, High Contrast Light), applied the way
// VS Code does it: a class on <body> and --vscode-* custom properties on <html>.

export type ThemeName = 'light' | 'dark' | 'hc' | 'hcLight';
export const THEME_NAMES: readonly ThemeName[] = ['light', 'dark', 'hc', 'hcLight'];

const common: Record<string, string> = {
  'font-family': "-apple-system, BlinkMacSystemFont, 'Segoe WPC', 'Segoe UI', 'Ubuntu', 'Droid Sans', sans-serif",
  'font-size': '13px',
  'font-weight': 'normal',
  'editor-font-family': "'Droid Sans Mono', 'monospace', monospace",
  'editor-font-size': '13px',
};

const light: Record<string, string> = {
  foreground: '#3b3b3b', 'editor-background': '#ffffff', 'editor-foreground': '#3b3b3b', descriptionForeground: '#717171',
  focusBorder: '#005fb8', 'widget-border': '#e5e5e5', 'panel-border': '#e5e5e5', 'editorWidget-background': '#f8f8f8',
  'editorWidget-border': '#c8c8c8', 'sideBar-background': '#f8f8f8', 'sideBar-foreground': '#3b3b3b',
  'list-hoverBackground': '#f2f2f2', 'list-activeSelectionBackground': '#e8e8e8', 'list-activeSelectionForeground': '#000000',
  'list-inactiveSelectionBackground': '#e4e6f1', 'list-focusOutline': '#005fb8',
  'badge-background': '#cccccc', 'badge-foreground': '#3b3b3b', errorForeground: '#f85149', 'editorWarning-foreground': '#bf8803',
  'inputValidation-errorBackground': '#f2dede', 'inputValidation-errorBorder': '#be1100', 'inputValidation-warningBackground': '#f6f5d2',
  'inputValidation-warningBorder': '#b89500', 'textLink-foreground': '#005fb8', 'textLink-activeForeground': '#005fb8',
  'charts-blue': '#1a85ff', 'progressBar-background': '#005fb8', 'toolbar-hoverBackground': 'rgba(184, 184, 184, 0.31)',
  'icon-foreground': '#3b3b3b', 'settings-headerBorder': '#e5e5e5', 'panelTitle-activeBorder': '#005fb8',
  'panelTitle-activeForeground': '#3b3b3b', 'panelTitle-inactiveForeground': '#3b3b3b', 'settings-textInputBackground': '#ffffff',
  'settings-textInputBorder': '#cecece', 'settings-textInputForeground': '#3b3b3b', 'settings-dropdownBackground': '#ffffff',
  'settings-dropdownBorder': '#cecece', 'settings-dropdownForeground': '#3b3b3b', 'settings-dropdownListBorder': '#c8c8c8',
  'input-placeholderForeground': '#767676', 'button-background': '#005fb8', 'button-foreground': '#ffffff',
  'button-hoverBackground': '#0258a8', 'button-secondaryBackground': '#e5e5e5', 'button-secondaryForeground': '#3b3b3b', 'button-secondaryHoverBackground': '#cccccc', 'button-border': 'rgba(0, 0, 0, 0.1)',
  'symbolIcon-moduleForeground': '#3b3b3b', 'symbolIcon-arrayForeground': '#3b3b3b', 'inputOption-activeBackground': 'rgba(190, 223, 255, 0.2)',
  'inputOption-activeBorder': '#005fb8', 'inputOption-activeForeground': '#000000', 'toolbar-hoverOutline': 'transparent', 'scrollbarSlider-background': 'rgba(100, 100, 100, 0.4)',
};

const dark: Record<string, string> = {
  foreground: '#cccccc', 'editor-background': '#1f1f1f', 'editor-foreground': '#cccccc', descriptionForeground: '#9d9d9d',
  focusBorder: '#0078d4', 'widget-border': '#313131', 'panel-border': '#2b2b2b', 'editorWidget-background': '#202020',
  'editorWidget-border': '#454545', 'sideBar-background': '#181818', 'sideBar-foreground': '#cccccc',
  'list-hoverBackground': '#2a2d2e', 'list-activeSelectionBackground': '#04395e', 'list-activeSelectionForeground': '#ffffff',
  'list-inactiveSelectionBackground': '#37373d', 'list-focusOutline': '#0078d4',
  'badge-background': '#616161', 'badge-foreground': '#f8f8f8', errorForeground: '#f85149', 'editorWarning-foreground': '#cca700',
  'inputValidation-errorBackground': '#5a1d1d', 'inputValidation-errorBorder': '#be1100', 'inputValidation-warningBackground': '#352a05',
  'inputValidation-warningBorder': '#b89500', 'textLink-foreground': '#4daafc', 'textLink-activeForeground': '#4daafc',
  'charts-blue': '#3794ff', 'progressBar-background': '#0078d4', 'toolbar-hoverBackground': 'rgba(90, 93, 94, 0.31)',
  'icon-foreground': '#cccccc', 'settings-headerBorder': '#2b2b2b', 'panelTitle-activeBorder': '#0078d4',
  'panelTitle-activeForeground': '#cccccc', 'panelTitle-inactiveForeground': '#9d9d9d', 'settings-textInputBackground': '#313131',
  'settings-textInputBorder': '#3c3c3c', 'settings-textInputForeground': '#cccccc', 'settings-dropdownBackground': '#313131',
  'settings-dropdownBorder': '#3c3c3c', 'settings-dropdownForeground': '#cccccc', 'settings-dropdownListBorder': '#454545',
  'input-placeholderForeground': '#989898', 'button-background': '#0078d4', 'button-foreground': '#ffffff',
  'button-hoverBackground': '#026ec1', 'button-secondaryBackground': '#313131', 'button-secondaryForeground': '#cccccc', 'button-secondaryHoverBackground': '#3c3c3c', 'button-border': 'rgba(255, 255, 255, 0.07)',
  'symbolIcon-moduleForeground': '#cccccc', 'symbolIcon-arrayForeground': '#cccccc', 'inputOption-activeBackground': 'rgba(36, 137, 219, 0.51)',
  'inputOption-activeBorder': '#2488db', 'inputOption-activeForeground': '#ffffff', 'toolbar-hoverOutline': 'transparent', 'scrollbarSlider-background': 'rgba(121, 121, 121, 0.4)',
};

const hc: Record<string, string> = {
  foreground: '#ffffff', 'editor-background': '#000000', 'editor-foreground': '#ffffff', descriptionForeground: 'rgba(255, 255, 255, 0.7)',
  focusBorder: '#f38518', 'widget-border': '#6fc3df', 'panel-border': '#6fc3df', 'editorWidget-background': '#0c141f',
  'editorWidget-border': '#6fc3df', 'sideBar-background': '#000000', 'sideBar-foreground': '#ffffff',
  'list-hoverBackground': 'transparent', 'list-activeSelectionBackground': 'transparent', 'list-activeSelectionForeground': '#ffffff',
  'list-inactiveSelectionBackground': 'transparent', 'list-focusOutline': '#f38518',
  contrastBorder: '#6fc3df', contrastActiveBorder: '#f38518',
  'badge-background': '#000000', 'badge-foreground': '#ffffff', errorForeground: '#f48771', 'editorWarning-foreground': '#ffd370',
  'inputValidation-errorBackground': '#000000', 'inputValidation-errorBorder': '#f48771', 'inputValidation-warningBackground': '#000000',
  'inputValidation-warningBorder': '#ffd370', 'textLink-foreground': '#21a6ff', 'textLink-activeForeground': '#21a6ff',
  'charts-blue': '#3794ff', 'progressBar-background': '#6fc3df', 'toolbar-hoverBackground': 'transparent',
  'icon-foreground': '#ffffff', 'settings-headerBorder': '#6fc3df', 'panelTitle-activeBorder': '#f38518',
  'panelTitle-activeForeground': '#ffffff', 'panelTitle-inactiveForeground': '#ffffff', 'settings-textInputBackground': '#000000',
  'settings-textInputBorder': '#6fc3df', 'settings-textInputForeground': '#ffffff', 'settings-dropdownBackground': '#000000',
  'settings-dropdownBorder': '#6fc3df', 'settings-dropdownForeground': '#ffffff', 'settings-dropdownListBorder': '#6fc3df',
  'input-placeholderForeground': 'rgba(255, 255, 255, 0.7)', 'button-background': '#000000', 'button-foreground': '#ffffff',
  'button-secondaryForeground': '#ffffff', 'button-border': '#6fc3df',
  'symbolIcon-moduleForeground': '#ffffff', 'symbolIcon-arrayForeground': '#ffffff', 'inputOption-activeBackground': 'transparent',
  'inputOption-activeBorder': '#6fc3df', 'inputOption-activeForeground': '#ffffff', 'toolbar-hoverOutline': '#f38518', 'scrollbarSlider-background': 'rgba(111, 195, 223, 0.6)',
};

const hcLight: Record<string, string> = {
  foreground: '#292929', 'editor-background': '#ffffff', 'editor-foreground': '#292929', descriptionForeground: '#292929b3',
  focusBorder: '#006bbd', 'widget-border': '#0f4a85', 'panel-border': '#0f4a85', 'editorWidget-background': '#ffffff',
  'editorWidget-border': '#0f4a85', 'sideBar-background': '#ffffff', 'sideBar-foreground': '#292929',
  'list-hoverBackground': '#ffffff', 'list-activeSelectionBackground': '#0f4a851a', 'list-activeSelectionForeground': '#292929',
  'list-inactiveSelectionBackground': '#0f4a851a', 'list-focusOutline': '#006bbd',
  contrastBorder: '#0f4a85', contrastActiveBorder: '#006bbd',
  'badge-background': '#0f4a85', 'badge-foreground': '#ffffff', errorForeground: '#b5200d', 'editorWarning-foreground': '#895503',
  'inputValidation-errorBackground': '#ffffff', 'inputValidation-errorBorder': '#b5200d', 'inputValidation-warningBackground': '#ffffff',
  'inputValidation-warningBorder': '#895503', 'textLink-foreground': '#0f4a85', 'textLink-activeForeground': '#0f4a85',
  'charts-blue': '#1a85ff', 'progressBar-background': '#0f4a85', 'toolbar-hoverBackground': 'transparent',
  'icon-foreground': '#292929', 'settings-headerBorder': '#0f4a85', 'panelTitle-activeBorder': '#b5200d',
  'panelTitle-activeForeground': '#292929', 'panelTitle-inactiveForeground': '#292929', 'settings-textInputBackground': '#ffffff',
  'settings-textInputBorder': '#0f4a85', 'settings-textInputForeground': '#292929', 'settings-dropdownBackground': '#ffffff',
  'settings-dropdownBorder': '#0f4a85', 'settings-dropdownForeground': '#292929', 'settings-dropdownListBorder': '#0f4a85',
  'input-placeholderForeground': '#292929b3', 'button-background': '#0f4a85', 'button-foreground': '#ffffff',
  'button-secondaryBackground': '#ffffff', 'button-secondaryForeground': '#292929', 'button-border': '#0f4a85',
  'symbolIcon-moduleForeground': '#292929', 'symbolIcon-arrayForeground': '#292929', 'inputOption-activeBackground': 'rgba(0, 107, 189, 0.1)',
  'inputOption-activeBorder': '#006bbd', 'inputOption-activeForeground': '#292929', 'toolbar-hoverOutline': '#006bbd', 'scrollbarSlider-background': 'rgba(15, 74, 133, 0.4)',
};

const maps: Record<ThemeName, Record<string, string>> = { light, dark, hc, hcLight };
// VS Code puts both classes on <body> for High Contrast Light.
const bodyClass: Record<ThemeName, string> = { light: 'vscode-light', dark: 'vscode-dark', hc: 'vscode-high-contrast', hcLight: 'vscode-high-contrast vscode-high-contrast-light' };
const kind: Record<ThemeName, string> = { light: 'vscode-light', dark: 'vscode-dark', hc: 'vscode-high-contrast', hcLight: 'vscode-high-contrast-light' };

/** The variables, as [--vscode-name, value] pairs (VS Code sets them with style.setProperty on <html>). */
export function themeVariables(name: ThemeName): [string, string][] {
  return Object.entries({ ...common, ...maps[name] }).map(([k, v]) => [`--vscode-${k}`, v]);
}

export function themeBodyClass(name: ThemeName): string {
  return bodyClass[name];
}

export function themeKind(name: ThemeName): string {
  return kind[name];
}
