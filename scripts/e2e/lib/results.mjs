// The notebooks' expected results, read from testdata/notebook_results.json at
// the repository root: the one source that softmax's TestNotebookResults and
// scripts/check-notebooks.py read too (its schema is described there and in
// README.md, Tests). The rules are check-notebooks.py's: each listed result
// line is shown exactly once, and its value is within the fit's tolerance
// plus half a unit of the last printed digit, or within the line's min and
// max.

import fs from 'node:fs';
import path from 'node:path';

// readResults reads and returns <repo>/testdata/notebook_results.json, or
// throws naming the file.
export function readResults(repo) {
  const p = path.join(repo, 'testdata', 'notebook_results.json');
  let r;
  try {
    r = JSON.parse(fs.readFileSync(p, 'utf8'));
  } catch (e) {
    throw new Error(`e2e: cannot read the expected results ${p}: ${e.message}`);
  }
  if (r.schema !== 1 || !r.fits || !r.notebooks) {
    throw new Error(`e2e: ${p} is not schema 1 (want "schema": 1 with "fits" and "notebooks")`);
  }
  return r;
}

// expectedFor returns the entry of the notebook (its file name, e.g.
// nb7_softmax_mnist.ipynb) with its lines and figures, or throws.
export function expectedFor(results, notebook) {
  const e = results.notebooks[path.basename(notebook)];
  if (!e) throw new Error(`e2e: testdata/notebook_results.json lists no notebook ${path.basename(notebook)}`);
  return { lines: e.lines || [], figures: e.figures || [] };
}

// halfUnit returns half a unit of the last digit of a printed number
// ("0.8998": 5e-5, "8.5e-11": 5e-13).
export function halfUnit(printed) {
  const [mantissa, exp] = printed.split(/[eE]/);
  const decimals = mantissa.includes('.') ? mantissa.split('.')[1].length : 0;
  return 0.5 * 10 ** -decimals * (exp === undefined ? 1 : 10 ** Number(exp));
}

// checkLines checks the shown text lines (the stdout of a notebook's cells)
// against the notebook's expected lines. It returns {values, shown, problems}:
// the value of each line by its label, the line as shown, and one sentence per
// missing, repeated, unparsable or wrong line.
export function checkLines(results, notebook, lines) {
  const { lines: specs } = expectedFor(results, notebook);
  const values = {};
  const shown = {};
  const problems = [];
  for (const spec of specs) {
    const re = new RegExp(spec.pattern);
    const found = lines.map((l) => l.trim()).map((l) => l.match(re)).filter(Boolean);
    if (found.length !== 1) {
      problems.push(found.length === 0
        ? `${spec.label}: no output line matches ${spec.pattern}`
        : `${spec.label}: ${found.length} output lines match ${spec.pattern}, want one: ${found.map((m) => m[0]).join(' | ')}`);
      continue;
    }
    const m = found[0];
    const value = Number(m[1]);
    shown[spec.label] = m[0];
    if (!Number.isFinite(value)) {
      problems.push(`${spec.label}: cannot read a number in ${JSON.stringify(m[0])}`);
      continue;
    }
    values[spec.label] = value;
    if (spec.fit) {
      const fit = results.fits[spec.fit];
      const want = fit && fit[spec.quantity];
      if (!want) {
        problems.push(`${spec.label}: testdata/notebook_results.json has no ${spec.fit}.${spec.quantity}`);
        continue;
      }
      const tol = want.tolerance + halfUnit(m[1]) + 1e-12;
      if (Math.abs(value - want.value) > tol) {
        problems.push(`${spec.label} = ${m[1]}, want ${want.value} ± ${tol.toPrecision(3)} (${spec.fit} ${spec.quantity} in testdata/notebook_results.json)`);
      }
    }
    if ((spec.min !== undefined && value < spec.min) || (spec.max !== undefined && value > spec.max)) {
      problems.push(`${spec.label} = ${value}, want within [${spec.min ?? '-inf'}, ${spec.max ?? '+inf'}]`);
    }
  }
  return { values, shown, problems };
}
