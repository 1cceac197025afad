/**
 * The Knowledge Base ID as Bedrock accepts it (up to 10 letters and digits), checked where the
 * setting is read so a pasted ARN or name is reported by name rather than as a service error.
 */

const KB_ID = /^[0-9a-zA-Z]{1,10}$/;

/** Settings check for bedrockDocs.knowledgeBase.id: '' (not configured) passes; returns the problem or undefined. */
export function checkKnowledgeBaseId(value: string): string | undefined {
  if (value === '' || KB_ID.test(value)) return undefined;
  return `"${value}" is not a Knowledge Base ID (up to 10 letters and digits, e.g. KB12345678; not the ARN or the name)`;
}
