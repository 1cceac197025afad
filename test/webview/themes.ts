/**
 * The --vscode-* variables VS Code sets on a webview's <html>, for the colours the chat and its
 * components use. Values from VS Code's Dark Modern / Light Modern / Dark High Contrast themes
 * (extensions/theme-defaults/themes/*.json) and the colour registry defaults they inherit.
 */

/** One theme: the body class VS Code adds and the variables it sets. */
export interface Theme {
  name: string;
  bodyClass: 'vscode-dark' | 'vscode-light' | 'vscode-high-contrast';
  /** The background VS Code paints behind a sidebar webview. */
  background: string;
  vars: Record<string, string>;
}

const common: Record<string, string> = {
  'font-family': 'system-ui, "Ubuntu", "Droid Sans", sans-serif',
  'font-size': '13px',
  'font-weight': 'normal',
  'editor-font-family': '"Droid Sans Mono", "DejaVu Sans Mono", monospace',
  'editor-font-size': '13px',
  'editor-font-weight': 'normal',
};

const dark: Record<string, string> = {
  foreground: '#cccccc',
  descriptionForeground: '#9d9d9d',
  errorForeground: '#f85149',
  focusBorder: '#0078d4',
  'icon-foreground': '#cccccc',
  'widget-border': '#313131',
  'widget-shadow': '#0000005c',
  'sideBar-background': '#181818',
  'sideBar-foreground': '#cccccc',
  'sideBarSectionHeader-background': '#181818',
  'sideBarSectionHeader-border': '#2b2b2b',
  'sideBarSectionHeader-foreground': '#cccccc',
  'sideBarTitle-foreground': '#cccccc',
  'panel-border': '#2b2b2b',
  'editor-background': '#1f1f1f',
  'editor-foreground': '#cccccc',
  'editorWidget-background': '#202020',
  'input-background': '#313131',
  'input-border': '#3c3c3c',
  'input-foreground': '#cccccc',
  'input-placeholderForeground': '#989898',
  'settings-textInputBackground': '#313131',
  'settings-textInputBorder': '#3c3c3c',
  'settings-textInputForeground': '#cccccc',
  'settings-dropdownBackground': '#313131',
  'settings-dropdownBorder': '#3c3c3c',
  'settings-dropdownForeground': '#cccccc',
  'settings-dropdownListBorder': '#454545',
  'settings-checkboxBackground': '#313131',
  'dropdown-background': '#313131',
  'dropdown-border': '#3c3c3c',
  'dropdown-foreground': '#cccccc',
  'dropdown-listBackground': '#1f1f1f',
  'button-background': '#0078d4',
  'button-foreground': '#ffffff',
  'button-border': '#ffffff12',
  'button-hoverBackground': '#026ec1',
  'button-secondaryBackground': '#313131',
  'button-secondaryForeground': '#cccccc',
  'button-secondaryHoverBackground': '#3c3c3c',
  'badge-background': '#616161',
  'badge-foreground': '#f8f8f8',
  'list-hoverBackground': '#2a2d2e',
  'list-activeSelectionBackground': '#04395e',
  'list-activeSelectionForeground': '#ffffff',
  'list-inactiveSelectionBackground': '#37373d',
  'list-focusOutline': '#0078d4',
  'list-highlightForeground': '#2aaaff',
  'toolbar-hoverBackground': '#5a5d5e50',
  'toolbar-activeBackground': '#63666750',
  'textLink-foreground': '#4daafc',
  'textLink-activeForeground': '#4daafc',
  'textPreformat-foreground': '#d0d0d0',
  'textPreformat-background': '#3c3c3c',
  'textCodeBlock-background': '#2b2b2b',
  'textBlockQuote-background': '#2b2b2b',
  'textBlockQuote-border': '#616161',
  'progressBar-background': '#0078d4',
  'scrollbarSlider-background': '#79797966',
  'scrollbarSlider-hoverBackground': '#646464b3',
  'scrollbarSlider-activeBackground': '#bfbfbf66',
  'inputValidation-errorBackground': '#5a1d1d',
  'inputValidation-errorBorder': '#be1100',
  'inputValidation-warningBackground': '#352a05',
  'inputValidation-warningBorder': '#b89500',
  'inputValidation-infoBackground': '#063b49',
  'inputValidation-infoBorder': '#007acc',
  'editorWarning-foreground': '#cca700',
  'editorInfo-foreground': '#3794ff',
  'debugTokenExpression-name': '#c586c0',
  'debugTokenExpression-string': '#ce9178',
  'debugTokenExpression-number': '#b5cea8',
  'debugTokenExpression-boolean': '#4e94ce',
  'symbolIcon-functionForeground': '#b180d7',
  'symbolIcon-classForeground': '#ee9d28',
  'symbolIcon-variableForeground': '#75beff',
  'gitDecoration-addedResourceForeground': '#81b88b',
  'gitDecoration-deletedResourceForeground': '#c74e39',
};

const light: Record<string, string> = {
  foreground: '#3b3b3b',
  descriptionForeground: '#3b3b3b',
  errorForeground: '#f85149',
  focusBorder: '#005fb8',
  'icon-foreground': '#3b3b3b',
  'widget-border': '#e5e5e5',
  'widget-shadow': '#00000029',
  'sideBar-background': '#f8f8f8',
  'sideBar-foreground': '#3b3b3b',
  'sideBarSectionHeader-background': '#f8f8f8',
  'sideBarSectionHeader-border': '#e5e5e5',
  'sideBarSectionHeader-foreground': '#3b3b3b',
  'sideBarTitle-foreground': '#3b3b3b',
  'panel-border': '#e5e5e5',
  'editor-background': '#ffffff',
  'editor-foreground': '#3b3b3b',
  'editorWidget-background': '#f8f8f8',
  'input-background': '#ffffff',
  'input-border': '#cecece',
  'input-foreground': '#3b3b3b',
  'input-placeholderForeground': '#767676',
  'settings-textInputBackground': '#ffffff',
  'settings-textInputBorder': '#cecece',
  'settings-textInputForeground': '#3b3b3b',
  'settings-dropdownBackground': '#ffffff',
  'settings-dropdownBorder': '#cecece',
  'settings-dropdownForeground': '#3b3b3b',
  'settings-dropdownListBorder': '#c8c8c8',
  'settings-checkboxBackground': '#f8f8f8',
  'dropdown-background': '#ffffff',
  'dropdown-border': '#cecece',
  'dropdown-foreground': '#3b3b3b',
  'dropdown-listBackground': '#ffffff',
  'button-background': '#005fb8',
  'button-foreground': '#ffffff',
  'button-border': '#0000001a',
  'button-hoverBackground': '#0258a8',
  'button-secondaryBackground': '#e5e5e5',
  'button-secondaryForeground': '#3b3b3b',
  'button-secondaryHoverBackground': '#cccccc',
  'badge-background': '#cccccc',
  'badge-foreground': '#3b3b3b',
  'list-hoverBackground': '#f2f2f2',
  'list-activeSelectionBackground': '#e8e8e8',
  'list-activeSelectionForeground': '#000000',
  'list-inactiveSelectionBackground': '#e4e6f1',
  'list-focusOutline': '#005fb8',
  'list-highlightForeground': '#0066bf',
  'toolbar-hoverBackground': '#b8b8b850',
  'toolbar-activeBackground': '#a6a6a650',
  'textLink-foreground': '#005fb8',
  'textLink-activeForeground': '#005fb8',
  'textPreformat-foreground': '#3b3b3b',
  'textPreformat-background': '#0000001f',
  'textCodeBlock-background': '#f8f8f8',
  'textBlockQuote-background': '#f8f8f8',
  'textBlockQuote-border': '#e5e5e5',
  'progressBar-background': '#005fb8',
  'scrollbarSlider-background': '#64646466',
  'scrollbarSlider-hoverBackground': '#646464b3',
  'scrollbarSlider-activeBackground': '#00000099',
  'inputValidation-errorBackground': '#f2dede',
  'inputValidation-errorBorder': '#be1100',
  'inputValidation-warningBackground': '#f6f5d2',
  'inputValidation-warningBorder': '#b89500',
  'inputValidation-infoBackground': '#d6ecf2',
  'inputValidation-infoBorder': '#007acc',
  'editorWarning-foreground': '#bf8803',
  'editorInfo-foreground': '#1a85ff',
  'debugTokenExpression-name': '#9b46b0',
  'debugTokenExpression-string': '#a31515',
  'debugTokenExpression-number': '#098658',
  'debugTokenExpression-boolean': '#0000ff',
  'symbolIcon-functionForeground': '#652d90',
  'symbolIcon-classForeground': '#d67e00',
  'symbolIcon-variableForeground': '#007acc',
  'gitDecoration-addedResourceForeground': '#587c0c',
  'gitDecoration-deletedResourceForeground': '#ad0707',
};

const highContrast: Record<string, string> = {
  ...dark,
  foreground: '#ffffff',
  descriptionForeground: '#ffffffb3',
  focusBorder: '#f38518',
  contrastBorder: '#6fc3df',
  contrastActiveBorder: '#f38518',
  'icon-foreground': '#ffffff',
  'widget-border': '#6fc3df',
  'sideBar-background': '#000000',
  'sideBarSectionHeader-border': '#6fc3df',
  'panel-border': '#6fc3df',
  'editor-background': '#000000',
  'editor-foreground': '#ffffff',
  'input-background': '#000000',
  'input-border': '#6fc3df',
  'input-foreground': '#ffffff',
  'settings-textInputBackground': '#000000',
  'settings-textInputBorder': '#6fc3df',
  'settings-dropdownBackground': '#000000',
  'settings-dropdownBorder': '#6fc3df',
  'dropdown-background': '#000000',
  'dropdown-border': '#6fc3df',
  'dropdown-listBackground': '#000000',
  'button-background': '#000000',
  'button-border': '#6fc3df',
  'button-secondaryBackground': '#000000',
  'button-secondaryForeground': '#ffffff',
  'badge-background': '#000000',
  'badge-foreground': '#ffffff',
  'list-hoverBackground': '#000000',
  'textLink-foreground': '#21a6ff',
  'textLink-activeForeground': '#21a6ff',
  'textPreformat-foreground': '#ffffff',
  'textPreformat-background': '#000000',
  'textCodeBlock-background': '#000000',
  'textBlockQuote-background': '#000000',
  'textBlockQuote-border': '#ffffff',
  'inputValidation-errorBackground': '#000000',
  'inputValidation-errorBorder': '#f48771',
  'debugTokenExpression-name': '#ffffff',
  'debugTokenExpression-string': '#f48771',
  'debugTokenExpression-number': '#89d185',
  'debugTokenExpression-boolean': '#75bdfe',
  'symbolIcon-functionForeground': '#ffffff',
  'symbolIcon-classForeground': '#ffffff',
  'symbolIcon-variableForeground': '#ffffff',
};

function prefixed(vars: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries({ ...common, ...vars }).map(([k, v]) => [`--vscode-${k}`, v]));
}

/** The themes the screenshots are taken in. */
export const THEMES: Record<'dark' | 'light' | 'highContrast', Theme> = {
  dark: { name: 'Dark Modern', bodyClass: 'vscode-dark', background: '#181818', vars: prefixed(dark) },
  light: { name: 'Light Modern', bodyClass: 'vscode-light', background: '#f8f8f8', vars: prefixed(light) },
  highContrast: { name: 'Dark High Contrast', bodyClass: 'vscode-high-contrast', background: '#000000', vars: prefixed(highContrast) },
};

/**
 * VS Code's own default webview styles (src/vs/workbench/contrib/webview/browser/pre/index.html,
 * `_defaultStyles`), the part that matters here: the chat must look right on top of them.
 */
export const VSCODE_DEFAULT_STYLES = `
@layer vscode-default {
  html { scrollbar-color: var(--vscode-scrollbarSlider-background) var(--vscode-editor-background); }
  body { overscroll-behavior-x: none; background-color: transparent; color: var(--vscode-editor-foreground);
    font-family: var(--vscode-font-family); font-weight: var(--vscode-font-weight); font-size: var(--vscode-font-size);
    margin: 0; padding: 0 20px; }
  img, video { max-width: 100%; max-height: 100%; }
  a, a code { color: var(--vscode-textLink-foreground); }
  a:hover { color: var(--vscode-textLink-activeForeground); }
  code { font-family: var(--monaco-monospace-font); color: var(--vscode-textPreformat-foreground);
    background-color: var(--vscode-textPreformat-background); padding: 1px 3px; border-radius: 4px; }
  pre code { padding: 0; }
  blockquote { background: var(--vscode-textBlockQuote-background); border-color: var(--vscode-textBlockQuote-border); }
  ::-webkit-scrollbar { width: 10px; height: 10px; }
  ::-webkit-scrollbar-corner { background-color: var(--vscode-editor-background); }
  ::-webkit-scrollbar-thumb { background-color: var(--vscode-scrollbarSlider-background); }
}`;
