import assert from 'node:assert/strict';
import { createRedactor } from '../../../src/core/safety/redact';
import type { Carrier } from './redactionCorpus';
import { identifyingWindows, leakedWindows, loadCarriers, loadNegativeLines, normalise } from './redactionCorpus';

const SALT = new Uint8Array(32).fill(42);
const redactor = createRedactor({ salt: SALT });
const carriers = loadCarriers();

interface Tally {
  planted: number;
  leaked: string[];
}

/** Redacts every carrier and counts, for claimed and unclaimed values apart, the ones that leaked. */
function tally(): { claimed: Tally; unclaimed: Tally } {
  const claimed: Tally = { planted: 0, leaked: [] };
  const unclaimed: Tally = { planted: 0, leaked: [] };
  for (const carrier of carriers) {
    const output = redactor.redact(carrier.text);
    for (const p of carrier.planted) {
      const t = p.claimed ? claimed : unclaimed;
      t.planted++;
      const left = leakedWindows(output, identifyingWindows(carrier.text, p.value));
      if (left.length > 0)
        t.leaked.push(`${carrier.file} ${carrier.id} (${p.category}): ${p.value} -> ${JSON.stringify(output.slice(0, 160))}`);
    }
  }
  return { claimed, unclaimed };
}

function lineOf(carrier: Carrier): string {
  return `${carrier.file} ${carrier.id}`;
}

describe('redaction corpus', () => {
  it('is well formed: every planted value is in its carrier and identifiable there', () => {
    let values = 0;
    for (const carrier of carriers) {
      assert.ok(carrier.planted.length > 0, `${lineOf(carrier)} plants nothing`);
      assert.ok(carrier.text.length > 0, `${lineOf(carrier)} has no carrier text`);
      for (const p of carrier.planted) {
        values++;
        assert.ok(normalise(p.value).length >= 6, `${lineOf(carrier)}: ${p.value} is too short to judge a leak`);
        assert.ok(identifyingWindows(carrier.text, p.value).length > 0, `${lineOf(carrier)}: ${p.value} is not in the carrier`);
      }
    }
    assert.ok(values >= 300, `only ${values} planted values`);
    assert.equal(new Set(carriers.map((c) => c.id)).size, carriers.length, 'block ids are unique');
  });

  it('leaks no planted value in a claimed category, and prints the figures', () => {
    const { claimed, unclaimed } = tally();
    console.log(`      claimed categories: planted ${claimed.planted}, leaked ${claimed.leaked.length}`);
    console.log(`      other formats: planted ${unclaimed.planted}, leaked ${unclaimed.leaked.length}`);
    for (const line of [...claimed.leaked, ...unclaimed.leaked]) console.log(`        leak: ${line}`);
    assert.deepEqual(claimed.leaked, []);
    assert.deepEqual(unclaimed.leaked, []);
  });

  it('leaves ordinary documentation unchanged', () => {
    const lines = loadNegativeLines();
    assert.ok(lines.length >= 100, `only ${lines.length} negative lines`);
    const changed = lines.filter((l) => redactor.redact(l) !== l).map((l) => `${l}\n        -> ${redactor.redact(l)}`);
    console.log(`      ordinary lines: ${lines.length}, changed ${changed.length}`);
    for (const line of changed) console.log(`        changed: ${line}`);
    assert.deepEqual(changed, []);
  });

  it('gives every planted value one placeholder per salt: stable for a salt, different for another', () => {
    const again = createRedactor({ salt: new Uint8Array(32).fill(42) });
    const other = createRedactor({ salt: new Uint8Array(32).fill(43) });
    const placeholders = (text: string): string[] => text.match(/\[[A-Z_]+_[0-9a-f]{6}\]/g) ?? [];
    let compared = 0;
    for (const carrier of carriers) {
      const mine = placeholders(redactor.redact(carrier.text));
      assert.deepEqual(placeholders(again.redact(carrier.text)), mine, lineOf(carrier));
      const theirs = placeholders(other.redact(carrier.text));
      assert.equal(theirs.length, mine.length, lineOf(carrier));
      mine.forEach((p, i) => {
        assert.notEqual(theirs[i], p, lineOf(carrier));
        compared++;
      });
    }
    assert.ok(compared >= 300, `only ${compared} placeholders compared`);
  });

  it('is idempotent on every carrier: placeholders are never redacted again', () => {
    for (const carrier of carriers) {
      const once = redactor.redact(carrier.text);
      assert.equal(redactor.redact(once), once, lineOf(carrier));
    }
  });
});
