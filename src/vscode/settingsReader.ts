/**
 * The only reader of `bedrockDocs.*` in the extension. In an untrusted workspace, restricted
 * settings (profile, region, endpoint, models) take only the user's own value: VS Code already
 * ignores workspace values of the keys listed in `restrictedConfigurations`, and we check again so a
 * missing declaration cannot let a workspace redirect credentials or endpoints.
 */
import * as vscode from 'vscode';
import type { ReadSettingsResult, SettingKey } from '../core/settings';
import { readSettings, SETTINGS, SETTINGS_PREFIX } from '../core/settings';

export function readExtensionSettings(scope?: vscode.ConfigurationScope, trusted = vscode.workspace.isTrusted): ReadSettingsResult {
  const config = vscode.workspace.getConfiguration(SETTINGS_PREFIX, scope);
  return readSettings((key: SettingKey) => {
    const inspected = config.inspect(key);
    if (!inspected) return undefined;
    const def = SETTINGS[key] as { restricted?: boolean };
    if (!trusted && def.restricted) return inspected.globalValue;
    return inspected.workspaceFolderValue ?? inspected.workspaceValue ?? inspected.globalValue;
  });
}

/** True when a configuration change touches any of our settings. */
export function affectsOurSettings(event: vscode.ConfigurationChangeEvent): boolean {
  return event.affectsConfiguration(SETTINGS_PREFIX);
}
