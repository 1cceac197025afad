/**
 * The CLI reads the same `bedrockDocs.*` keys as the extension, from `<dir>/.vscode/settings.json`
 * (JSON with comments, flat dotted keys or nested objects, as VS Code accepts), then applies flags.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse, printParseErrorCode } from 'jsonc-parser';
import type { ParseError } from 'jsonc-parser';
import { BedrockDocsError } from '../core/errors';
import type { ReadSettingsResult, SettingKey } from '../core/settings';
import { readSettings, SETTINGS_PREFIX } from '../core/settings';

function lookup(json: Record<string, unknown>, key: SettingKey): unknown {
  const full = `${SETTINGS_PREFIX}.${key}`;
  if (full in json) return json[full];
  let node: unknown = json;
  for (const part of full.split('.')) {
    if (typeof node !== 'object' || node === null || !(part in node)) return undefined;
    node = (node as Record<string, unknown>)[part];
  }
  return node;
}

/** Settings of a folder: its .vscode/settings.json if present, then `overrides` (from flags). */
export async function loadWorkspaceSettings(
  dir: string,
  overrides: Partial<Record<SettingKey, unknown>> = {},
): Promise<ReadSettingsResult & { file?: string }> {
  const file = join(dir, '.vscode', 'settings.json');
  let json: Record<string, unknown> = {};
  let found: string | undefined;
  try {
    const text = await readFile(file, 'utf8');
    const errors: ParseError[] = [];
    const parsed = parse(text, errors, { allowTrailingComma: true, disallowComments: false }) as unknown;
    if (errors.length > 0 || typeof parsed !== 'object' || parsed === null) {
      const first = errors[0];
      throw new BedrockDocsError(
        'BAD_SETTING',
        `${file} is not valid JSON${first ? ` (${printParseErrorCode(first.error)} at offset ${first.offset})` : ''}`,
        'Fix the file or remove it.',
      );
    }
    json = parsed as Record<string, unknown>;
    found = file;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  const result = readSettings((key) => (key in overrides ? overrides[key] : lookup(json, key)));
  return { ...result, ...(found ? { file: found } : {}) };
}
