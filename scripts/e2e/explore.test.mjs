// End-to-end test of notebooks/explore.ipynb in a real browser: JupyterLab 4
// with the Go kernel, served under a base URL as on Binder or JupyterHub
// (E2E_BASE_URL, default /e2e-explore/; "/" for none), through the harness of
// lib/notebook.mjs. It runs the notebook as a reader does (Run > Run All
// Cells), then uses the panel the last cell shows and serves:
//
//   1. penalty L1 at C = 1e5, then the C slider dragged down to 1e-2: the
//      sparsity shown goes up and the weights image changes;
//   2. single slider steps on 5000 and on 50000 images: the refit latency,
//      seen by the page and spent in Go, and the progress bar on 50000;
//   3. a vertical stroke on the canvas: the model predicts 1;
//   4. Clear, a closed loop: the model predicts 0;
//   5. Stop: the cell ends, having superseded running fits during the drag,
//      and the kernel goes idle.
//
// Screenshots of each state go to build/e2e/explore-*.png; the latencies and
// values to build/e2e/explore-lab.json. Bounds and settings: lib/notebook.mjs.

import test from 'node:test';
import assert from 'node:assert/strict';
import { Session, bounds } from './lib/notebook.mjs';
import { log, sleep, withTimeout } from './lib/harness.mjs';

const notebook = 'notebooks/explore.ipynb';
const baseUrl = process.env.E2E_BASE_URL || '/e2e-explore/';

// Bounds of the panel's waits, in milliseconds.
const wait = { fit: 60_000, draw: 20_000, stop: 60_000 };

const median = (a) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)];

// panelState reads the panel (runs in the page).
function panelState() {
  // The panel the cell shows (a saved output, rendered untrusted, has no data-live).
  const root = [...document.querySelectorAll('.sme[data-live]')].pop();
  const part = (name) => root && document.getElementById(`${root.id}_${name}`);
  const fit = part('fit')?.querySelector('.sme-fit');
  const drawn = part('draw')?.querySelector('.sme-drawn');
  const weights = fit?.querySelector('.sme-weights');
  return root && {
    id: root.id,
    live: root.dataset.live,
    status: part('status')?.innerText || '',
    fitSeq: Number(part('fit')?.dataset.seq || 0),
    fit: fit && { ...fit.dataset, weights: weights?.getAttribute('src') || '', weightsLoaded: !!weights?.complete && weights.naturalWidth > 0 },
    pageMs: Number(part('fit')?.dataset.pageMs || NaN),
    goMs: Number(part('fit')?.dataset.goMs || NaN),
    progress: part('progress')?.innerText || '',
    drawSeq: Number(part('draw')?.dataset.seq || 0),
    pred: drawn ? drawn.dataset.pred : null,
    drawText: drawn?.innerText || '',
    drawPageMs: Number(part('draw')?.dataset.pageMs || NaN),
    drawGoMs: Number(part('draw')?.dataset.goMs || NaN),
    slider: part('logc') && Number(part('logc').value),
  };
}

// waitPanel polls the panel until ok(state) holds, for at most ms; every
// second it also fails on an error output of a finished cell or a dialog.
async function waitPanel(nb, what, ok, ms) {
  const deadline = Date.now() + ms;
  let s = null;
  let checked = 0;
  for (;;) {
    nb.session.server.check();
    s = await withTimeout(nb.page.evaluate(panelState), 10_000, 'reading the panel');
    if (s && ok(s)) return s;
    if (Date.now() - checked > 1000) {
      checked = Date.now();
      const fails = nb.failures(await nb.state());
      if (fails.length) throw new Error(`waiting for ${what}:\n${fails.join('\n')}`);
    }
    if (Date.now() > deadline) {
      const brief = s && { ...s, fit: s.fit && { ...s.fit, weights: `${s.fit.weights.length} characters` } };
      throw new Error(`${what}: not within ${ms / 1000} s; panel: ${JSON.stringify(brief)}`);
    }
    await sleep(50);
  }
}

// choose changes a select of the panel and waits for its fit.
async function choose(nb, s, name, value) {
  await nb.page.locator(`#${s.id}_${name}`).selectOption(value);
  return waitPanel(nb, `the fit after ${name} = ${value}`, (p) => p.fit && p.fit[name] === String(value) && !p.progress, wait.fit);
}

// dragSlider drags the C slider's thumb with the mouse to about logC, then
// steps it with the arrow keys to exactly logC, and waits for that fit.
async function dragSlider(nb, s, logC) {
  const slider = nb.page.locator(`#${s.id}_logc`);
  await slider.scrollIntoViewIfNeeded();
  const box = await slider.boundingBox();
  const x = (v) => box.x + 8 + (box.width - 16) * (v + 3) / 8;
  await nb.page.mouse.move(x(s.slider), box.y + box.height / 2);
  await nb.page.mouse.down();
  await nb.page.mouse.move(x(logC), box.y + box.height / 2, { steps: 25 });
  await nb.page.mouse.up();
  for (let i = 0; i < 40; i++) {
    const v = await slider.evaluate((e) => Number(e.value));
    if (Math.abs(v - logC) < 0.05) break;
    await slider.press(v > logC ? 'ArrowLeft' : 'ArrowRight');
  }
  return waitPanel(nb, `the fit at log10(C) = ${logC}`, (p) => p.fit && Number(p.fit.logc) === logC && !p.progress, wait.fit);
}

// latency steps the slider n times by one key press and returns the
// latencies of the answers, as the page saw them and as spent in Go.
async function latency(nb, s, n) {
  const slider = nb.page.locator(`#${s.id}_logc`);
  const pageMs = [];
  const goMs = [];
  for (let i = 0; i < n; i++) {
    const before = await nb.page.evaluate(panelState);
    await slider.press(i % 2 ? 'ArrowRight' : 'ArrowLeft');
    const after = await waitPanel(nb, 'a refit', (p) => p.fitSeq > before.fitSeq && Number.isFinite(p.pageMs), wait.fit);
    pageMs.push(after.pageMs);
    goMs.push(after.goMs);
  }
  return { page: pageMs, go: goMs, pageMedian: median(pageMs), goMedian: median(goMs) };
}

// stroke draws a polyline on the canvas with the mouse and waits for the
// model's reading.
async function stroke(nb, s, pts) {
  const canvas = nb.page.locator(`#${s.id}_canvas`);
  await canvas.scrollIntoViewIfNeeded();
  const box = await canvas.boundingBox();
  const before = await nb.page.evaluate(panelState);
  await nb.page.mouse.move(box.x + pts[0][0], box.y + pts[0][1]);
  await nb.page.mouse.down();
  for (const [x, y] of pts.slice(1)) await nb.page.mouse.move(box.x + x, box.y + y, { steps: 2 });
  await nb.page.mouse.up();
  return waitPanel(nb, 'the reading of the drawing', (p) => p.drawSeq > before.drawSeq && p.pred !== '', wait.draw);
}

// progressShot moves the slider on 50000 images and takes a screenshot
// while the progress bar shows, then waits for the fit.
async function progressShot(nb, s) {
  const before = await nb.page.evaluate(panelState);
  await nb.page.locator(`#${s.id}_logc`).press('ArrowRight');
  let seen = await waitPanel(nb, 'a progress bar after an epoch', (p) => /epoch \d+,/.test(p.progress), wait.draw);
  // The first epoch's change is always 1 (an empty bar): for the picture,
  // wait a little for a later epoch.
  seen = await waitPanel(nb, 'epoch 2', (p) => /epoch [2-9]\d*,/.test(p.progress) || p.fitSeq > before.fitSeq, 5000)
    .catch(() => seen);
  await shot(nb, s, 'progress-50000');
  log(`${nb.session.name}: progress on 50000 images: ${seen.progress.trim() || '(the fit had ended)'}`);
  await waitPanel(nb, 'the fit on 50000 images', (p) => p.fitSeq > before.fitSeq, wait.fit);
}

// shot saves the panel as it is now to build/e2e/explore-NAME.png.
function shot(nb, s, name) {
  return nb.screenshot(`explore-${name}.png`, nb.page.locator(`#${s.id}`));
}

test('explore.ipynb in JupyterLab under a base URL: the C slider and the canvas drive the Go kernel', { timeout: bounds.test }, () =>
  Session.run('explore-lab', async (sess) => {
    const nb = await sess.open('lab', notebook);
    // Room for the whole panel in the viewport, for its screenshots.
    await nb.page.setViewportSize({ width: 1600, height: 2000 });
    await nb.runAll();
    const t = Date.now();
    let s = await waitPanel(nb, 'the panel', (p) => p.live && p.fit, bounds.run);
    log(`${sess.name}: Run All Cells -> panel in ${((Date.now() - t) / 1000).toFixed(1)} s, live ${s.live}: ${s.status}`);
    assert.equal(s.live, 'true', `the panel is not live: ${s.status}`);
    const result = sess.result;
    result.baseUrl = baseUrl;
    result.status = s.status;
    // connect.js's two workarounds of GoNB v0.11.4 in place (logged, not
    // asserted: another GoNB may need neither).
    result.workarounds = await nb.page.evaluate(() => ({
      webSocketWrapped: typeof globalThis.WebSocket.softmaxMnistRewrite === 'function',
      ackWaitPatched: String(globalThis.gonb_comm?._wait_open_ack).includes('cfg.ackMs'),
    }));
    log(`${sess.name}: workarounds ${JSON.stringify(result.workarounds)}`);

    // 1. L1 at C = 1e5, then the slider down to C = 1e-2.
    s = await choose(nb, s, 'penalty', 'l1');
    assert.equal(s.fit.logc, '5.0');
    await shot(nb, s, 'weights-C1e5-L1');
    const high = s.fit;
    s = await dragSlider(nb, s, -2);
    await shot(nb, s, 'weights-C1e-2-L1');
    const low = s.fit;
    log(`${sess.name}: L1, 5000 images: C = 1e5 sparsity ${high.sparsity}%, accuracy ${high.accuracy}; C = 1e-2 sparsity ${low.sparsity}%, accuracy ${low.accuracy}`);
    assert.ok(Number(low.sparsity) > Number(high.sparsity) + 30, `sparsity ${high.sparsity}% at C = 1e5, ${low.sparsity}% at C = 1e-2 (L1)`);
    assert.ok(low.weightsLoaded && high.weightsLoaded, 'a weights image did not load');
    assert.notEqual(low.weights, high.weights, 'the weights image did not change');
    result.l1 = { high: { sparsity: high.sparsity, accuracy: high.accuracy }, low: { sparsity: low.sparsity, accuracy: low.accuracy } };

    // 2. Refit latency: L1 and L2 on 5000 images, L2 on 50000, and the progress bar.
    result.latency = {};
    result.latency.l1_5000 = await latency(nb, s, 6);
    s = await choose(nb, s, 'penalty', 'l2');
    result.latency.l2_5000 = await latency(nb, s, 8);
    s = await choose(nb, s, 'size', '50000');
    await progressShot(nb, s);
    result.latency.l2_50000 = await latency(nb, s, 4);
    s = await choose(nb, s, 'size', '5000');
    for (const [k, v] of Object.entries(result.latency)) {
      log(`${sess.name}: latency ${k}: page ${v.page.join(', ')} ms (median ${v.pageMedian}); in Go ${v.go.join(', ')} ms (median ${v.goMedian})`);
    }

    // 3. A vertical stroke is a 1.
    const line = [];
    for (let y = 40; y <= 240; y += 10) line.push([140, y]);
    s = await stroke(nb, s, line);
    await shot(nb, s, 'draw-1');
    log(`${sess.name}: vertical stroke: ${s.drawText.split('\n')[0]}, shown ${s.drawPageMs} ms after the stroke`);
    assert.equal(s.pred, '1', `a vertical stroke was read as ${s.pred}`);

    // 4. Clear, then a closed loop is a 0.
    const cleared = s.drawSeq;
    await nb.page.locator(`#${s.id}_clear`).click();
    s = await waitPanel(nb, 'Clear', (p) => p.drawSeq > cleared && p.pred === '', wait.draw);
    const loop = [];
    for (let a = 0; a <= 2 * Math.PI + 0.3; a += 0.15) loop.push([140 + 60 * Math.sin(a), 140 - 90 * Math.cos(a)]);
    s = await stroke(nb, s, loop);
    await shot(nb, s, 'draw-0');
    log(`${sess.name}: loop: ${s.drawText.split('\n')[0]}, shown ${s.drawPageMs} ms after the stroke`);
    assert.equal(s.pred, '0', `a closed loop was read as ${s.pred}`);
    result.draw = { one: '1', zero: s.pred };

    // 5. Stop: the panel stays, inert, the cell ends and the kernel goes idle.
    await nb.page.locator(`#${s.id}_stop`).click();
    s = await waitPanel(nb, 'the stopped panel', (p) => p.live === 'false', wait.stop);
    const st = await nb.waitDone();
    const out = nb.stdoutLines(st).find((l) => /^explore: stopped by the Stop button/.test(l));
    assert.ok(out, `no "explore: stopped by the Stop button" line:\n${nb.stdoutLines(st).join('\n')}`);
    log(`${sess.name}: ${out}; kernel ${st.status}`);
    await shot(nb, s, 'stopped');
    // The drag alone sent about 25 changes, each a refit of 60 ms or more:
    // newer ones must have superseded running fits.
    const [, fits, superseded] = out.match(/after (\d+) fits \((\d+) superseded\)/) || [];
    result.fits = { fits: Number(fits), superseded: Number(superseded) };
    assert.ok(Number(superseded) >= 1, `no fit was superseded: ${out}`);
  }, { baseUrl }));
