/**
 * Writes package.json `contributes.configuration` and the untrusted-workspace restricted list from
 * the settings table in src/core/settings.ts. `npm run sync:settings`; a unit test fails on drift.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { contributedProperties, restrictedSettingKeys, settingsMarkdownTable } from '../src/core/settings';

const file = join(__dirname, '..', 'package.json');
const pkg = JSON.parse(readFileSync(file, 'utf8')) as { contributes?: Record<string, unknown>; capabilities?: Record<string, unknown> };
pkg.contributes ??= {};
pkg.contributes.configuration = { title: 'Bedrock Docs Assistant', properties: contributedProperties() };
pkg.capabilities ??= {};
pkg.capabilities.untrustedWorkspaces = {
  supported: 'limited',
  description:
    'In an untrusted workspace, the workspace cannot choose the AWS profile, Region, endpoints, models or guardrail (its values for those settings are ignored), and indexing asks first.',
  restrictedConfigurations: restrictedSettingKeys(),
};
writeFileSync(file, JSON.stringify(pkg, null, 2) + '\n');
console.log(`package.json: ${Object.keys(contributedProperties()).length} settings, ${restrictedSettingKeys().length} restricted`);

const readmeFile = join(__dirname, '..', 'README.md');
const readme = readFileSync(readmeFile, 'utf8');
const start = '<!-- settings:start -->';
const end = '<!-- settings:end -->';
const a = readme.indexOf(start);
const b = readme.indexOf(end);
if (a >= 0 && b > a) {
  writeFileSync(readmeFile, `${readme.slice(0, a + start.length)}\n${settingsMarkdownTable()}\n${readme.slice(b)}`);
  console.log('README.md: settings table updated');
}
