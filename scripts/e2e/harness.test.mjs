// The harness fails when it should, and stops everything when it does: a copy
// of the port notebook with a broken cell (a panic) inserted after the cell
// that connects the module fails at that cell, within seconds, naming it and
// showing the panic; a copy whose kernel spec matches no kernel (name and
// language unknown to the server) fails on the "Select Kernel" dialog instead
// of picking a kernel. After each failure the Jupyter server, its kernels and
// the browser are gone and the temporary copy is removed.

import test from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { Session, bounds } from './lib/notebook.mjs';
import { alive, processesMentioning } from './lib/harness.mjs';

const port = 'notebooks/nb7_softmax_mnist.ipynb';

// failing runs fn in a session that must fail with an error matching each of
// res, and checks that nothing of the session is left afterwards.
async function failing(name, fn, res) {
  let s;
  const err = await Session.run(name, (session) => { s = session; return fn(session); }, { expectFailure: true })
    .then(() => null, (e) => e);
  assert.ok(err, `${name}: the session passed, want a failure`);
  for (const re of res) assert.match(err.message, re);
  assert.ok(s && s.tmp, `${name}: the session did not start`);
  assert.equal(fs.existsSync(s.tmp), false, `${name}: the temporary copy ${s.tmp} is still there`);
  assert.deepEqual(processesMentioning(s.tmp), [], `${name}: processes of the session are still running`);
  assert.equal(alive(s.server.pid), false, `${name}: the Jupyter server (pid ${s.server.pid}) is still running`);
  return err;
}

test('a cell that panics fails the run at that cell, and everything is stopped', { timeout: bounds.test }, async () => {
  const t = Date.now();
  const err = await failing('harness-broken-cell', async (s) => {
    const nb = JSON.parse(fs.readFileSync(s.file(port), 'utf8'));
    const at = nb.cells.findIndex((c) => c.cell_type === 'code') + 1; // after the module cell
    nb.cells.splice(at, 0, {
      cell_type: 'code', execution_count: null, metadata: {}, outputs: [],
      source: ['%%\n', 'fmt.Println("before the panic")\n', 'panic("e2e: a deliberately broken cell")\n'],
    });
    s.write('notebooks/e2e_broken.ipynb', JSON.stringify(nb, null, 1));
    const page = await s.open('lab', 'notebooks/e2e_broken.ipynb');
    await page.runAll();
    await page.waitDone();
  }, [new RegExp(`cell ${6} \\(fmt\\.Println\\("before the panic"\\)\\) shows an error output`), /panic: e2e: a deliberately broken cell/]);
  const secs = (Date.now() - t) / 1000;
  assert.ok(secs < 90, `the broken cell took ${secs} s to fail`);
  console.log(`harness-broken-cell: failed in ${secs.toFixed(1)} s with: ${err.message.split('\n').slice(0, 3).join(' / ')}`);
});

test('a notebook whose kernel the server does not know fails on the kernel dialog', { timeout: bounds.test }, async () => {
  const err = await failing('harness-kernel-dialog', async (s) => {
    const nb = JSON.parse(fs.readFileSync(s.file(port), 'utf8'));
    nb.metadata.kernelspec = { name: 'e2e-no-such-kernel', display_name: 'No such kernel', language: 'e2e-no-such-language' };
    nb.metadata.language_info = { name: 'e2e-no-such-language' };
    s.write('notebooks/e2e_nokernel.ipynb', JSON.stringify(nb, null, 1));
    await s.open('lab', 'notebooks/e2e_nokernel.ipynb');
  }, [/shows a dialog while opening notebooks\/e2e_nokernel\.ipynb/, /Select kernel/i]);
  console.log(`harness-kernel-dialog: failed with: ${err.message.split('\n')[0].slice(0, 300)}`);
});
