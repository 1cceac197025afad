/**
 * Generic English stop words (function words, pronouns, auxiliaries, question words), nothing
 * domain-specific: questions are mostly made of them, and left in they make every section match.
 */

// The classic NLTK English list (179 words) with its contraction stubs, plus a few question and
// request words ("please", "tell", "would") that carry no topic in a question.
const WORDS = `
i me my myself we our ours ourselves you your yours yourself yourselves he him his himself she her
hers herself it its itself they them their theirs themselves what which who whom this that these
those am is are was were be been being have has had having do does did doing a an the and but if or
because as until while of at by for with about against between into through during before after
above below to from up down in out on off over under again further then once here there when where
why how all any both each few more most other some such no nor not only own same so than too very s
t can will just don should now d ll m o re ve y ain aren couldn didn doesn hadn hasn haven isn ma
mightn mustn needn shan shouldn wasn weren won wouldn could would may might must shall also please
tell us let get
`;

/** Lower-case stop words; compare after lower-casing a token. */
export const ENGLISH_STOP_WORDS: ReadonlySet<string> = new Set(WORDS.split(/\s+/).filter(Boolean));
