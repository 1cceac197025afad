/**
 * Chat history in workspace state: survives reloads, capped (oldest conversations dropped), and
 * read back through the protocol's own schema so a corrupt or older entry is dropped, not trusted.
 */
import type * as vscode from 'vscode';
import type { Conversation, HistoryEntry } from '../../protocol/conversation';
import { historyEntryOf } from '../../protocol/conversation';
import { migrateSavedState } from '../../protocol/savedState';

const KEY = 'bedrockDocs.conversations';
const VERSION = 1;

interface Stored {
  version: number;
  conversations: Conversation[];
}

export class ConversationStore {
  private conversations: Conversation[];

  constructor(
    private readonly memento: vscode.Memento,
    private readonly limit: () => number,
  ) {
    this.conversations = this.load();
  }

  list(): HistoryEntry[] {
    return [...this.conversations].sort((a, b) => b.updatedAt - a.updatedAt).map(historyEntryOf);
  }

  /** Every stored conversation, newest first. */
  all(): Conversation[] {
    return [...this.conversations].sort((a, b) => b.updatedAt - a.updatedAt);
  }

  get(id: string): Conversation | undefined {
    return this.conversations.find((c) => c.id === id);
  }

  /** Inserts or replaces a conversation; drops the oldest beyond the limit. */
  async put(conversation: Conversation): Promise<void> {
    const others = this.conversations.filter((c) => c.id !== conversation.id);
    const all = [conversation, ...others].sort((a, b) => b.updatedAt - a.updatedAt);
    this.conversations = all.slice(0, Math.max(1, this.limit()));
    await this.save();
  }

  async delete(id: string): Promise<void> {
    this.conversations = this.conversations.filter((c) => c.id !== id);
    await this.save();
  }

  async clear(): Promise<void> {
    this.conversations = [];
    await this.save();
  }

  private load(): Conversation[] {
    const raw = this.memento.get<Stored>(KEY);
    if (!raw || raw.version !== VERSION || !Array.isArray(raw.conversations)) return [];
    // Reuse the webview state validator: each conversation is checked by the protocol schema.
    return raw.conversations.flatMap((c) => {
      const checked = migrateSavedState({
        version: 1,
        conversation: c,
        history: [],
        models: [],
        currentModelId: '',
        scopes: [],
        currentScope: { kind: 'all' },
        agentMode: false,
        draft: '',
      });
      return checked.conversation ? [checked.conversation] : [];
    });
  }

  private save(): Thenable<void> {
    const stored: Stored = { version: VERSION, conversations: this.conversations };
    return this.memento.update(KEY, stored);
  }
}
