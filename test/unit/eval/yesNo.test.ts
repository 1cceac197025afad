import assert from 'node:assert/strict';

import { gradeYesNo, parseYesNoLabel, yesNoPolarity } from '../../../src/core/eval/yesNo';

describe('eval yes/no grading', () => {
  it('parses labels case-insensitively', () => {
    assert.equal(parseYesNoLabel(' YES '), 'Yes');
    assert.equal(parseYesNoLabel('no'), 'No');
    assert.equal(parseYesNoLabel('None'), 'None');
    assert.equal(parseYesNoLabel('maybe'), undefined);
  });

  it('reads an opening yes or no', () => {
    assert.equal(yesNoPolarity('Yes, EBS encryption is available on M3 instances [1].'), 'yes');
    assert.equal(yesNoPolarity('**No.** AMIs cannot be tagged on creation.'), 'no');
    assert.equal(yesNoPolarity('Correct: it is supported.'), 'yes');
    assert.equal(yesNoPolarity('No \u2014 only the Standard tier.'), 'no');
  });

  it('reads negation in the first sentence when there is no opener', () => {
    assert.equal(yesNoPolarity('AMIs support tags.'), 'yes');
    assert.equal(yesNoPolarity('AMIs do not support tagging on creation. Tag them afterwards.'), 'no');
    assert.equal(yesNoPolarity("The free tier doesn't include encryption."), 'no');
    assert.equal(yesNoPolarity('Encryption is unavailable on the free tier.'), 'no');
    // Only the first sentence counts.
    assert.equal(yesNoPolarity('It is supported. It is not free.'), 'yes');
  });

  it('has no polarity for an answer that declines', () => {
    assert.equal(yesNoPolarity("The provided documents don't mention M3 instances."), undefined);
    assert.equal(yesNoPolarity('I do not know.'), undefined);
    assert.equal(yesNoPolarity('No information about that is available.'), undefined);
    assert.equal(yesNoPolarity('   '), undefined);
  });

  it('grades against the label, and not at all for None', () => {
    assert.equal(gradeYesNo('Yes, it is.', 'Yes'), true);
    assert.equal(gradeYesNo('Yes, it is.', 'No'), false);
    assert.equal(gradeYesNo('It is not.', 'No'), true);
    assert.equal(gradeYesNo('The documents do not say.', 'No'), false);
    assert.equal(gradeYesNo('500', 'None'), undefined);
  });
});
