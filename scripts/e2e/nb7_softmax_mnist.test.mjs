// The port notebook in a real browser, in JupyterLab 4 and in Notebook 7: it
// opens with the gonb kernel picked from its metadata (no dialog), runs
// through Run > Run All Cells, and shows what a person expects: no error
// output, the three result lines with the values of
// testdata/notebook_results.json, and the weights figure as a loaded image
// of sensible size, visible once scrolled to. Screenshots go to build/e2e/:
// nb7-lab.png and nb7-nb7.png (the page at the end), nb7-*-weights.png (the
// figure), nb7-*-results.png (the output with the result lines). Harness and
// settings: lib/notebook.mjs.

import test from 'node:test';
import assert from 'node:assert/strict';
import { Session, bounds, repo } from './lib/notebook.mjs';
import { readResults } from './lib/results.mjs';
import { log } from './lib/harness.mjs';

const notebook = 'notebooks/nb7_softmax_mnist.ipynb';
const results = readResults(repo);

async function runPortNotebook(s, ui) {
  const nb = await s.open(ui, notebook);
  await nb.runAll();
  const st = await nb.waitDone();
  assert.deepEqual(nb.failures(st), [], 'error outputs');

  // The three result lines, each shown once, with the expected values.
  const { values, shown } = nb.checkResults(results, st);
  assert.ok(values['run time (s)'] > 0, `the run time shown is ${shown['run time (s)']}`);

  // The weights figure: one loaded image in the figure cell, of sensible size.
  const fig = (await nb.figureImages(results)).find((i) => i.figure.kind === 'weights');
  assert.ok(fig, 'testdata/notebook_results.json lists no weights figure for the port notebook');
  assert.ok(fig.complete && fig.naturalWidth > 400 && fig.naturalHeight > 200,
    `the weights figure did not load at a sensible size (want > 400x200): ${JSON.stringify(fig)}`);
  assert.ok(fig.colours >= 16, `the weights figure looks blank (${fig.colours} distinct colours): ${JSON.stringify(fig)}`);
  const seen = await nb.reveal(fig);
  assert.ok(seen.inViewport && seen.onTop, `the weights figure is not visible after scrolling to it: ${JSON.stringify(seen)}`);
  log(`${s.name}: weights figure ${fig.naturalWidth}x${fig.naturalHeight}, ${fig.colours} colours, shown at ${JSON.stringify(seen.shown)}`);

  await nb.screenshot(`${s.name}-results.png`, nb.outputLocator(shown['L2 test score']));
  await nb.screenshot(`${s.name}-weights.png`, nb.imageLocator(fig));
  await nb.screenshot(`${s.name}.png`);
  s.result = { ...s.result, ui: nb.uiName, notebook, lines: shown, figure: { ...fig, ...seen } };
}

test('the port notebook runs in JupyterLab 4: results and the weights figure', { timeout: bounds.test }, () =>
  Session.run('nb7-lab', (s) => runPortNotebook(s, 'lab')));

test('the port notebook runs in Notebook 7: results and the weights figure', { timeout: bounds.test }, () =>
  Session.run('nb7-nb7', (s) => runPortNotebook(s, 'nb7')));
