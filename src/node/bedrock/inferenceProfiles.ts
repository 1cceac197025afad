/**
 * Cross-region inference-profile ids: newer models cannot be invoked on demand by their bare
 * foundation-model id, only through a `us.`/`eu.`/`apac.`/`global.` profile or an ARN.
 * https://docs.aws.amazon.com/bedrock/latest/userguide/inference-profiles-support.html
 */

const GEO_PREFIXES = ['us', 'eu', 'apac', 'global', 'jp', 'au', 'ca', 'us-gov'];

/** The geography prefix of the system-defined profiles for a source region, if there is one. */
export function geographyPrefixFor(region: string): string | undefined {
  if (region.startsWith('us-gov-')) return 'us-gov';
  if (region.startsWith('us-')) return 'us';
  if (region.startsWith('eu-')) return 'eu';
  if (region.startsWith('ap-')) return 'apac';
  return undefined;
}

/** True for an ARN or an id that already names an inference profile. */
export function isProfileIdOrArn(modelId: string): boolean {
  if (modelId.startsWith('arn:')) return true;
  const first = modelId.split('.')[0] ?? '';
  return GEO_PREFIXES.includes(first) && modelId.split('.').length >= 3;
}

/**
 * The profile ids to suggest for a bare model id in a region, most specific first: the region's
 * geography (e.g. `us.anthropic...`) then `global.`; empty for ARNs and ids that are profiles.
 */
export function suggestInferenceProfileIds(modelId: string, region: string): string[] {
  if (isProfileIdOrArn(modelId)) return [];
  const geo = geographyPrefixFor(region);
  return [...(geo ? [`${geo}.${modelId}`] : []), `global.${modelId}`];
}
