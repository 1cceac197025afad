/**
 * Yes/No grading for questions labelled `yes_no_none` (the AWS set: Yes, No, or None for
 * questions that are not yes/no). Reference answers of such questions can be templates rather
 * than true statements, so these are graded on the label, by the answer's polarity.
 */

/** The label of a question: a yes/no question's true answer, or None when it is not one. */
export type YesNoLabel = 'Yes' | 'No' | 'None';

/** `yes`/`NO`/`none` -> the label; undefined for anything else. */
export function parseYesNoLabel(value: string): YesNoLabel | undefined {
  switch (value.trim().toLowerCase()) {
    case 'yes':
      return 'Yes';
    case 'no':
      return 'No';
    case 'none':
      return 'None';
    default:
      return undefined;
  }
}

const YES_OPENERS = new Set(['yes', 'yeah', 'yep', 'correct', 'true', 'indeed', 'absolutely', 'certainly']);
const NO_OPENERS = new Set(['no', 'nope', 'incorrect', 'false']);
// An answer that declines ("the documents do not say") has no polarity, though it holds a "not".
const ABSTAIN =
  /\b(?:(?:i|we) (?:do not|don't|cannot|can't) (?:know|tell|say|determine)|not sure|unable to (?:determine|find|tell)|(?:cannot|can't|could not|couldn't) (?:determine|find|tell)|no information|not (?:mentioned|covered|specified|stated|documented)|(?:does not|doesn't|do not|don't) (?:mention|say|specify|state|cover|contain|include information))\b/;
const NEGATION = /\b(?:not|no|never|cannot|neither|nor|none|unsupported|unavailable|\w+n't)\b/;

function firstSentence(answer: string): string {
  const plain = answer
    .replace(/[*_`>#]+/g, ' ')
    .replace(/’/g, "'")
    .toLowerCase()
    .trim();
  const end = plain.search(/[.!?;:\n](?:\s|$)/);
  return (end >= 0 ? plain.slice(0, end) : plain).trim();
}

/**
 * The polarity of an answer to a yes/no question, from its first sentence: an opening "Yes"/"No"
 * decides; otherwise a negation ("not", "cannot", "doesn't", "unsupported") means no and its
 * absence means yes. Undefined for an empty answer or one that declines to answer.
 */
export function yesNoPolarity(answer: string): 'yes' | 'no' | undefined {
  // Limit: a heuristic for answers that state their conclusion first (as the prompt asks); double
  // negatives and negations outside the first sentence are misread.
  const sentence = firstSentence(answer);
  const opener = /^[^\p{L}\p{N}]*([\p{L}\p{N}']+)\s*([,!\u2014-]|$)?/u.exec(sentence);
  if (!opener) return undefined;
  const first = opener[1] as string;
  // "Yes, ..." / "No." decide alone; "No information ..." is read as a whole sentence.
  const standsAlone = opener[2] !== undefined;
  if (YES_OPENERS.has(first) && (standsAlone || first === 'yes')) return 'yes';
  if (NO_OPENERS.has(first) && standsAlone) return 'no';
  if (ABSTAIN.test(sentence)) return undefined;
  return NEGATION.test(sentence) ? 'no' : 'yes';
}

/** True when the answer's polarity matches a Yes/No label; undefined for None (not a yes/no question). */
export function gradeYesNo(answer: string, label: YesNoLabel): boolean | undefined {
  if (label === 'None') return undefined;
  return yesNoPolarity(answer) === (label === 'Yes' ? 'yes' : 'no');
}
