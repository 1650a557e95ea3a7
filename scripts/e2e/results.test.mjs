// The expectations' checker (lib/results.mjs) on the real
// testdata/notebook_results.json: the port notebook's lines as it prints
// them pass; a score outside the band, a missing line, a repeated line and a
// line of another notebook's fit fail, each with a sentence naming it. No
// browser: it runs in milliseconds.

import test from 'node:test';
import assert from 'node:assert/strict';
import { repo } from './lib/notebook.mjs';
import { checkLines, halfUnit, readResults } from './lib/results.mjs';

const results = readResults(repo);
const nb = 'nb7_softmax_mnist.ipynb';
const shown = ['Example run in 1.168 s', 'Sparsity with L2 penalty: 8.93%', 'Test score with L2 penalty: 0.8998', ''];

test('halfUnit is half a unit of the last printed digit', () => {
  const near = (got, want) => assert.ok(Math.abs(got - want) <= 1e-12 * want, `halfUnit: ${got}, want ${want}`);
  near(halfUnit('0.8998'), 5e-5);
  near(halfUnit('8.93'), 0.005);
  near(halfUnit('12'), 0.5);
  near(halfUnit('8.5e-11'), 5e-13);
});

test('the port notebook\'s lines as printed pass', () => {
  const r = checkLines(results, nb, shown);
  assert.deepEqual(r.problems, []);
  assert.equal(r.values['L2 test score'], 0.8998);
  assert.equal(r.values['L2 sparsity (%)'], 8.93);
});

test('a wrong score, a missing line and a repeated line fail', () => {
  const wrongScore = shown.map((l) => l.replace('0.8998', '0.9100'));
  assert.match(checkLines(results, nb, wrongScore).problems.join('\n'), /L2 test score = 0\.9100, want 0\.8998/);
  const original = shown.map((l) => l.replace('8.93%', '9.18%'));
  assert.match(checkLines(results, nb, original).problems.join('\n'), /L2 sparsity \(%\) = 9\.18/);
  assert.match(checkLines(results, nb, shown.slice(0, 2)).problems.join('\n'), /L2 test score: no output line matches/);
  assert.match(checkLines(results, nb, [...shown, shown[2]]).problems.join('\n'), /L2 test score: 2 output lines match/);
});

test('a changed expectation fails the same lines', () => {
  const changed = structuredClone(results);
  changed.fits.l2_sag.test_score.value = 0.9100;
  assert.match(checkLines(changed, nb, shown).problems.join('\n'), /L2 test score = 0\.8998, want 0\.91 ± /);
});

test('a notebook the expectations do not list is an error', () => {
  assert.throws(() => checkLines(results, 'unknown.ipynb', shown), /lists no notebook unknown\.ipynb/);
});
