/** The top bar: scope and model pickers, agent-mode toggle, new chat, history and export. */
import type { ModelOption, Scope, ScopeOption } from '../../protocol/conversation';
import { scopeKey } from '../../protocol/conversation';
import { h, iconButton } from '../dom';

/** The pickers' value that asks the extension for a folder picker instead of selecting. */
export const BROWSE_FOLDER = '__browse__';

/** What the header shows. */
export interface HeaderState {
  models: readonly ModelOption[];
  currentModelId: string;
  scopes: readonly ScopeOption[];
  currentScope: Scope;
  agentMode: boolean;
  hasConversation: boolean;
  historyOpen: boolean;
}

/** What the header reports; the app turns these into protocol messages. */
export interface HeaderEvents {
  onModel(modelId: string): void;
  onScope(scope: Scope | 'browse'): void;
}

/** The header bar; reports picks through HeaderEvents. */
export class Header {
  readonly element: HTMLElement;
  private readonly scopeSelect = h('vscode-single-select', {
    class: 'scope-select',
    label: 'Scope: which docs to search',
  }) as HTMLElement & { value: string };
  private readonly modelSelect = h('vscode-single-select', { class: 'model-select', label: 'Model' }) as HTMLElement & { value: string };
  private readonly agentToggle = iconButton('robot', 'Agent mode: let the model search the docs with tools', 'toggle-agent', {
    toggleable: true,
  });
  private readonly exportButton = iconButton('export', 'Export conversation as Markdown', 'export');
  private readonly historyButton = iconButton('history', 'Show chat history', 'toggle-history', { toggleable: true });
  private scopes: readonly ScopeOption[] = [];
  private currentScopeId = '';
  private modelsKey = '';
  private scopesKey = '';

  constructor(events: HeaderEvents) {
    this.element = h(
      'header',
      { class: 'header' },
      h('div', { class: 'pickers' }, this.scopeSelect, this.modelSelect),
      h(
        'div',
        { class: 'header-actions', role: 'toolbar', 'aria-label': 'Chat actions' },
        this.agentToggle,
        iconButton('add', 'New chat', 'new-chat'),
        this.historyButton,
        this.exportButton,
      ),
    );
    this.modelSelect.addEventListener('change', () => events.onModel(this.modelSelect.value));
    this.scopeSelect.addEventListener('change', () => {
      const value = this.scopeSelect.value;
      if (value === BROWSE_FOLDER) {
        // The picker is an action, not a choice: show the current scope until the extension answers.
        this.scopeSelect.value = this.currentScopeId;
        events.onScope('browse');
        return;
      }
      const option = this.scopes.find((s) => s.id === value);
      if (option) events.onScope(option.scope);
    });
  }

  /** Rebuilds option lists only when they changed, so an open dropdown is not disturbed. */
  update(state: HeaderState): void {
    const modelsKey = JSON.stringify(state.models);
    if (modelsKey !== this.modelsKey) {
      this.modelsKey = modelsKey;
      this.modelSelect.replaceChildren(
        ...state.models.map((m) => h('vscode-option', { value: m.id, description: m.description }, m.label)),
      );
    }
    const scopesKey = JSON.stringify(state.scopes);
    if (scopesKey !== this.scopesKey) {
      this.scopesKey = scopesKey;
      this.scopes = state.scopes;
      this.scopeSelect.replaceChildren(
        ...state.scopes.map((s) => h('vscode-option', { value: s.id }, s.label)),
        h('vscode-option', { value: BROWSE_FOLDER, description: 'Pick a folder to search' }, 'Choose folder…'),
      );
    }
    if (this.modelSelect.value !== state.currentModelId) this.modelSelect.value = state.currentModelId;
    const current = state.scopes.find((s) => scopeKey(s.scope) === scopeKey(state.currentScope));
    this.currentScopeId = current?.id ?? '';
    if (current && this.scopeSelect.value !== current.id) this.scopeSelect.value = current.id;
    this.modelSelect.hidden = state.models.length === 0;
    this.scopeSelect.hidden = state.scopes.length === 0;
    this.agentToggle.toggleAttribute('checked', state.agentMode);
    this.historyButton.toggleAttribute('checked', state.historyOpen);
    this.exportButton.toggleAttribute('disabled', !state.hasConversation);
  }

  /** Where focus returns when the history panel closes. */
  focusHistoryButton(): void {
    this.historyButton.focus();
  }
}
