// The exercises notebook in JupyterLab 4: it opens with the gonb kernel picked
// from its metadata, runs through Run > Run All Cells, and shows no error
// output, the result lines of testdata/notebook_results.json and its figures
// as loaded images, one in each cell tagged "figure". Its progress bars
// (pkg/display.Bar: one output that GoNB's UpdateHtml redraws in place) are
// watched while the cells run: each bar the notebook makes must be seen in at
// least one state strictly between empty and full before its final, full
// state, and never twice at once in its cell. Screenshots in build/e2e/:
// exercises-lab.png (the end), exercises-lab-bar.png (a bar caught part-way,
// when a poll catches one). Harness and settings: lib/notebook.mjs.

import test from 'node:test';
import assert from 'node:assert/strict';
import { Session, bounds, repo } from './lib/notebook.mjs';
import { readResults } from './lib/results.mjs';
import { log } from './lib/harness.mjs';

const notebook = 'notebooks/exercises.ipynb';
const results = readResults(repo);

// barTitles returns the titles of the bars the notebook's cells make with
// display.NewBar("title"), read from the notebook file.
function barTitles(meta) {
  const src = meta.cells.filter((c) => c.cell_type === 'code')
    .map((c) => (Array.isArray(c.source) ? c.source.join('') : c.source)).join('\n');
  return [...src.matchAll(/display\.NewBar\("([^"]+)"\)/g)].map((m) => m[1]);
}

const partWay = (b) => b.value !== null && b.max > 0 && b.value > 0 && b.value < b.max;

// checkBar checks the recorded and polled states of the bar title and the
// bar shown at the end; it returns a summary.
function checkBar(title, recorded, polled, crowded, st) {
  const states = recorded.filter((b) => b.title === title);
  const final = st.cells.flatMap((c) => c.bars.map((b) => ({ ...b, cell: c.n }))).filter((b) => b.title === title);
  assert.equal(final.length, 1, `bar "${title}": want one bar at the end, see ${JSON.stringify(final)}`);
  const end = final[0];
  assert.ok(end.max > 0 && end.value === end.max, `bar "${title}" is not full at the end: ${JSON.stringify(end)}`);
  const firstFull = states.findIndex((b) => b.value !== null && b.value === b.max);
  const before = states.slice(0, firstFull < 0 ? states.length : firstFull).filter(partWay);
  const polledPartWay = polled.filter((b) => b.title === title && partWay(b));
  assert.ok(before.length > 0, `bar "${title}": no state between empty and full was seen before the full one; ` +
    `states seen: ${JSON.stringify(states.map((b) => `${b.value}/${b.max} at ${b.t} s`))}`);
  const twice = crowded.filter((c) => c.title === title);
  assert.deepEqual(twice, [], `bar "${title}" was shown more than once at the same time in its cell (not updated in place)`);
  return `bar "${title}" in cell ${end.cell}: ${before.length} part-way states seen by the observer ` +
    `(${before.map((b) => `${b.value}/${b.max}`).join(', ')}), ${polledPartWay.length} by the 250 ms poll, then ${end.value}/${end.max} ${end.label}`;
}

test('the exercises notebook runs in JupyterLab 4: results, figures and progress bars updated in place', { timeout: bounds.test }, () =>
  Session.run('exercises-lab', async (s) => {
    const nb = await s.open('lab', notebook);
    const titles = barTitles(nb.meta);
    assert.ok(titles.length > 0, `${notebook} makes no display.NewBar: nothing to watch`);
    await nb.runAll();
    const polled = [];
    let caught = false;
    const st = await nb.waitDone({
      onPoll: async (p) => {
        for (const c of p.cells) {
          for (const b of c.bars) {
            polled.push({ ...b, cell: c.n });
            if (!caught && partWay(b)) {
              // The page as it is now, scrolled to the bar (an element shot of an output
              // that is redrawn ten times a second would race with the redraws).
              caught = true;
              await nb.cellLocator(c.n).locator('progress').first().scrollIntoViewIfNeeded({ timeout: 5000 })
                .then(() => nb.screenshot('exercises-lab-bar.png'))
                .then(() => log(`${s.name}: bar "${b.title}" polled at ${b.value}/${b.max} just before exercises-lab-bar.png`))
                .catch((e) => log(`${s.name}: bar screenshot: ${e.message.split('\n')[0]}`));
            }
          }
        }
      },
    });
    assert.deepEqual(nb.failures(st), [], 'error outputs');

    const { shown } = nb.checkResults(results, st);
    const imgs = await nb.figureImages(results);
    for (const [k, img] of imgs.entries()) {
      const what = `figure ${k + 1} (${img.figure.kind}: ${img.figure.what}) in cell ${img.cell}`;
      assert.ok(img.complete && img.naturalWidth >= 300 && img.naturalHeight >= 200, `${what} did not load at a sensible size (want >= 300x200): ${JSON.stringify(img)}`);
      assert.ok(img.colours >= 16, `${what} looks blank (${img.colours} distinct colours)`);
      const seen = await nb.reveal(img);
      assert.ok(seen.onTop && seen.shown.width > 0, `${what} is not visible after scrolling to it: ${JSON.stringify(seen)}`);
      log(`${s.name}: ${what}: ${img.naturalWidth}x${img.naturalHeight}, ${img.colours} colours, shown at ${JSON.stringify(seen.shown)}`);
    }

    const rec = st.recorder;
    const bars = titles.map((t) => checkBar(t, rec.bars, polled, rec.crowded, st));
    for (const b of bars) log(`${s.name}: ${b}`);
    if (!caught) log(`${s.name}: no poll caught a bar part-way for a screenshot (the observer's record above is what counts)`);
    await nb.screenshot('exercises-lab.png');
    s.result = { ...s.result, ui: nb.uiName, notebook, lines: shown, figures: imgs, bars, barStates: rec.bars };
  }));
