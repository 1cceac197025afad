/** One click listener for the whole app: `data-action` on the clicked control says what to do. */
import { languageIdForFence } from '../protocol/codeLanguage';
import type { App } from './app';

/** Turns a click on any `[data-action]` or citation into the matching app call or message. */
export function handleClick(app: App, event: Event): void {
  const target = event.target as Element;
  const control = target.closest('[data-action], .citation');
  if (!control || control.hasAttribute('disabled')) return;
  const turnId = control.closest('[data-turn-id]')?.getAttribute('data-turn-id') ?? '';
  const turn = app.state.conversation?.turns.find((t) => t.id === turnId);
  const action = control.classList.contains('citation') ? 'open-source' : (control.getAttribute('data-action') ?? '');
  switch (action) {
    case 'open-source': {
      const n = Number(control.getAttribute('data-cite') ?? control.getAttribute('data-source'));
      const source = turn?.sources.find((s) => s.n === n);
      if (source) app.host.post({ type: 'source/open', path: source.path, startLine: source.startLine, endLine: source.endLine });
      break;
    }
    case 'code-copy':
    case 'code-insert':
    case 'code-new-file': {
      const block = control.closest('.code-block');
      const code = block?.querySelector('pre code')?.textContent ?? '';
      const language = block?.getAttribute('data-lang') ?? '';
      if (action === 'code-copy') app.host.post({ type: 'code/copy', code });
      else if (action === 'code-insert') app.host.post({ type: 'code/insert', code });
      else app.host.post({ type: 'code/newFile', code, language, languageId: languageIdForFence(language) });
      break;
    }
    case 'copy-answer':
      if (turn) app.host.post({ type: 'code/copy', code: turn.answer });
      break;
    case 'retry':
      app.retry(turnId);
      break;
    case 'edit':
      app.edit(turnId);
      break;
    case 'rate-up':
    case 'rate-down':
      app.rate(turnId, action === 'rate-up' ? 'up' : 'down');
      break;
    case 'error-action': {
      const index = Number(control.getAttribute('data-index'));
      const errorAction = turn?.error?.actions[index];
      if (errorAction) app.host.post({ type: 'error/action', turnId, action: errorAction });
      break;
    }
    case 'new-chat':
      app.newChat();
      break;
    case 'toggle-agent':
      app.toggleAgent();
      break;
    case 'toggle-history':
      app.toggleHistory();
      break;
    case 'export':
      if (app.state.conversation) app.host.post({ type: 'chat/export', conversationId: app.state.conversation.id });
      break;
    case 'history-open':
    case 'history-delete': {
      const conversationId = control.closest('[data-conversation-id]')?.getAttribute('data-conversation-id');
      if (!conversationId) break;
      app.host.post({ type: action === 'history-open' ? 'history/open' : 'history/delete', conversationId });
      if (action === 'history-open') app.toggleHistory(false);
      break;
    }
    case 'history-clear':
      app.host.post({ type: 'history/clear' });
      break;
    default:
      return;
  }
  event.preventDefault();
}
