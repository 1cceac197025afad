/**
 * The CLI's per-user directories, by the XDG base-directory rules (with the usual fallbacks under
 * the home folder): configuration (the redaction salt, the trust list) and cache.
 */
import { homedir } from 'node:os';
import { isAbsolute, join } from 'node:path';

function base(variable: string, fallback: string[], env: NodeJS.ProcessEnv): string {
  const value = env[variable];
  // The spec says relative values are invalid and must be ignored.
  return value && isAbsolute(value) ? value : join(env.HOME || homedir(), ...fallback);
}

/** `$XDG_CONFIG_HOME/bedrock-docs`, default `~/.config/bedrock-docs`. */
export function userConfigDir(env: NodeJS.ProcessEnv = process.env): string {
  return join(base('XDG_CONFIG_HOME', ['.config'], env), 'bedrock-docs');
}

/** `$XDG_CACHE_HOME/bedrock-docs`, default `~/.cache/bedrock-docs`. */
export function userCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  return join(base('XDG_CACHE_HOME', ['.cache'], env), 'bedrock-docs');
}
