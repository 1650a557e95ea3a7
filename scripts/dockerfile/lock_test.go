package dockerfile

import (
	"fmt"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// The image's Python environment: the one scripts/setup.sh creates everywhere.
const (
	venvBin      = homeDir + "/.venv/bin"          // setup.sh's .venv; first on the image's PATH
	notebookLock = "scripts/python/notebooks.lock" // what setup.sh installs into .venv
	binderLock   = "scripts/python/binder.lock"    // JupyterHub's single-user server, for Binder
)

// pin is one requirement of a lock file: name==version [; marker] with its hashes.
type pin struct {
	name    string // normalised (PEP 503): lower case, runs of -_. as one -
	version string
	marker  string
	hashes  int // number of --hash options
	line    int
}

var (
	pinRE      = regexp.MustCompile(`^([A-Za-z0-9][A-Za-z0-9._-]*)==(\S+?)\s*(?:;\s*([^\\]*?))?\s*$`)
	nameSepRE  = regexp.MustCompile(`[-_.]+`)
	hashRE     = regexp.MustCompile(`--hash=sha256:[0-9a-f]{64}\b`)
	condaRE    = regexp.MustCompile(`\b(conda|mamba|micromamba)\s+(install|update|upgrade)\b`)
	lockFileRE = regexp.MustCompile(`^(\./)?scripts/python/[A-Za-z0-9_-]+\.lock$`)
)

func normName(s string) string { return nameSepRE.ReplaceAllString(strings.ToLower(s), "-") }

// parseLock reads a pip requirements file in the form `uv pip compile --generate-hashes` and
// `pip-compile --generate-hashes` write: one name==version per requirement (continued with
// backslashes by its --hash options), comments, blank lines.
func parseLock(text string) ([]pin, error) {
	var pins []pin
	var logical strings.Builder
	start := 0
	for i, l := range strings.Split(text, "\n") {
		t := strings.TrimSpace(l)
		if logical.Len() == 0 {
			if t == "" || strings.HasPrefix(t, "#") {
				continue
			}
			start = i + 1
		}
		cont := strings.HasSuffix(t, "\\")
		logical.WriteString(strings.TrimSuffix(t, "\\") + " ")
		if cont {
			continue
		}
		entry := logical.String()
		logical.Reset()
		req, _, _ := strings.Cut(entry, " --")
		m := pinRE.FindStringSubmatch(strings.TrimSpace(req))
		if m == nil {
			return nil, fmt.Errorf("line %d: %q is not name==version [; marker]", start, strings.TrimSpace(req))
		}
		pins = append(pins, pin{name: normName(m[1]), version: m[2], marker: m[3],
			hashes: len(hashRE.FindAllString(entry, -1)), line: start})
	}
	if logical.Len() > 0 {
		return nil, fmt.Errorf("line %d: the file ends inside a continued line", start)
	}
	return pins, nil
}

// versions returns the versions a lock pins for each name (several when markers differ).
func versions(pins []pin) map[string][]string {
	v := map[string][]string{}
	for _, p := range pins {
		v[p.name] = append(v[p.name], p.version)
	}
	return v
}

// checkLocks returns the problems of the two lock files: every pin hashed, the notebook
// environment at JupyterLab 4.6.x and Notebook 7.x, and the Binder lock holding jupyterhub
// and nothing that notebooks.lock pins at another version (it adds to that environment).
func checkLocks(notebooks, binder []pin) []string {
	var probs []string
	fail := func(format string, a ...any) { probs = append(probs, "lock: "+fmt.Sprintf(format, a...)) }
	for file, pins := range map[string][]pin{notebookLock: notebooks, binderLock: binder} {
		for _, p := range pins {
			if p.hashes == 0 {
				fail("%s:%d: %s==%s has no --hash (pip --require-hashes refuses it)", file, p.line, p.name, p.version)
			}
		}
	}
	nv := versions(notebooks)
	for name, prefix := range map[string]string{"jupyterlab": "4.6.", "notebook": "7."} {
		if vs := nv[name]; len(vs) != 1 || !strings.HasPrefix(vs[0], prefix) {
			fail("%s pins %s at %q, not one %sx release", notebookLock, name, vs, prefix)
		}
	}
	if len(versions(binder)["jupyterhub"]) == 0 {
		fail("%s does not pin jupyterhub (Binder starts jupyterhub-singleuser)", binderLock)
	}
	for _, p := range binder {
		if vs, ok := nv[p.name]; ok && !slices.Contains(vs, p.version) {
			fail("%s:%d: %s==%s, but %s pins %s %q (regenerate both: bash scripts/lock.sh)",
				binderLock, p.line, p.name, p.version, notebookLock, p.name, vs)
		}
	}
	return probs
}

// pipInstall is one `pip install` command of a RUN instruction.
type pipInstall struct {
	pip   string   // the pip program or the python before -m pip, variables expanded
	reqs  []string // the -r / --requirement files
	loose []string // requirements named on the command line
	hash  bool     // --require-hashes
}

// pipValueOpts are the pip install options that take a value as the next word.
var pipValueOpts = map[string]bool{
	"-r": true, "--requirement": true, "-c": true, "--constraint": true, "-t": true,
	"--target": true, "--prefix": true, "--root": true, "-i": true, "--index-url": true,
	"--extra-index-url": true, "--only-binary": true, "--no-binary": true,
	"--progress-bar": true, "--cache-dir": true, "--python-version": true, "--platform": true,
}

// pipInstalls finds the pip install commands of a RUN instruction's shell text (split at
// &&, ||, ;, | and newlines; words split at blanks, without shell quoting).
func pipInstalls(in instr) []pipInstall {
	var out []pipInstall
	text := strings.NewReplacer("&&", "\n", "||", "\n", ";", "\n", "|", "\n").Replace(strings.Join(in.args(), " "))
	for _, cmd := range strings.Split(text, "\n") {
		w := strings.Fields(cmd)
		for i := range w {
			var pip string
			var rest []string
			switch {
			case (path.Base(w[i]) == "pip" || path.Base(w[i]) == "pip3") && i+1 < len(w) && w[i+1] == "install":
				pip, rest = w[i], w[i+2:]
			case w[i] == "-m" && i > 0 && i+2 < len(w) && w[i+1] == "pip" && w[i+2] == "install":
				pip, rest = w[i-1], w[i+3:]
			default:
				continue
			}
			if x, err := in.expand(pip); err == nil {
				pip = x
			}
			p := pipInstall{pip: pip}
			for j := 0; j < len(rest); j++ {
				opt, val, hasVal := strings.Cut(rest[j], "=")
				switch {
				case rest[j] == "--require-hashes":
					p.hash = true
				case pipValueOpts[opt] && !hasVal && j+1 < len(rest):
					val = rest[j+1]
					j++
					fallthrough
				case pipValueOpts[opt]:
					if opt == "-r" || opt == "--requirement" {
						p.reqs = append(p.reqs, val)
					}
				case !strings.HasPrefix(rest[j], "-"):
					p.loose = append(p.loose, rest[j])
				}
			}
			out = append(out, p)
			break
		}
	}
	return out
}

// inVenv reports whether the program path prog (absolute, or relative to the home
// directory, the image's WORKDIR) is in setup.sh's .venv/bin.
func inVenv(prog string) bool {
	if !path.IsAbs(prog) {
		prog = path.Join(homeDir, prog)
	}
	return path.Dir(path.Clean(prog)) == venvBin
}

// checkImageEnv reports through fail (check's) the problems of the parsed Dockerfile df with
// the rules that make the image serve the locks' Jupyter: setup.sh's .venv first on PATH
// (Binder runs jupyterhub-singleuser and the image's CMD runs jupyter from PATH), SETUP_PYTHON
// outside .venv (so that setup.sh, run again in the image, keeps the environment instead of
// recreating it from itself), every pip install from a committed lock with --require-hashes
// into .venv and nothing named on the command line, no conda or mamba install, and
// binder.lock installed after setup.sh.
func checkImageEnv(df *dockerfile, fail func(rule, format string, a ...any)) {
	final := df.stages[len(df.stages)-1]
	first, _, _ := strings.Cut(final.env["PATH"], ":") // as written when ${PATH} is the base image's
	if x, err := expand(first, final.env); err == nil {
		first = x
	}
	if path.Clean(first) != venvBin {
		fail("env", "the final PATH starts with %q, not %s (Binder runs jupyterhub-singleuser from PATH)", first, venvBin)
	}
	setupAt, binderAt := -1, -1
	for i, in := range final.instrs {
		if in.cmd != "run" {
			continue
		}
		text := strings.Join(in.args(), " ")
		if setupRE.MatchString(text) && setupAt < 0 {
			setupAt = i
			py, ok := in.env["SETUP_PYTHON"]
			if !ok || !path.IsAbs(py) || strings.HasPrefix(path.Clean(py), path.Dir(venvBin)+"/") {
				fail("env", "line %d: setup.sh runs with SETUP_PYTHON=%q; set it to the base image's python3 (absolute, outside .venv): with .venv first on PATH, python3 would be .venv's own", in.line(), py)
			}
		}
		if m := condaRE.FindString(text); m != "" {
			fail("lock", "line %d: %q: the image's Python packages come from the locks, not conda", in.line(), m)
		}
		for _, p := range pipInstalls(in) {
			switch {
			case !inVenv(p.pip):
				fail("lock", "line %d: pip install by %s: only %s's pip installs (the environment the servers run in)", in.line(), p.pip, venvBin)
			case !p.hash:
				fail("lock", "line %d: pip install without --require-hashes", in.line())
			case len(p.loose) > 0:
				fail("lock", "line %d: pip install names %q; every package comes from a lock file", in.line(), p.loose)
			case len(p.reqs) == 0:
				fail("lock", "line %d: pip install without -r %s", in.line(), binderLock)
			}
			for _, r := range p.reqs {
				if !lockFileRE.MatchString(r) {
					fail("lock", "line %d: pip install -r %s: not a committed lock in scripts/python/", in.line(), r)
				} else if path.Clean(r) == binderLock && binderAt < 0 {
					binderAt = i
				}
			}
		}
	}
	switch {
	case binderAt < 0:
		fail("lock", "no RUN installs %s (jupyterhub-singleuser for Binder) with .venv's pip", binderLock)
	case setupAt >= 0 && binderAt < setupAt:
		fail("lock", "line %d: %s is installed before scripts/setup.sh creates .venv", final.instrs[binderAt].line(), binderLock)
	}
}

// readLocks returns the parsed notebook and Binder locks of the repository.
func readLocks(t *testing.T) (notebooks, binder []pin) {
	t.Helper()
	read := func(name string) []pin {
		b, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(name)))
		if err != nil {
			t.Fatal(err)
		}
		pins, err := parseLock(string(b))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		return pins
	}
	return read(notebookLock), read(binderLock)
}

// TestImageFollowsLock checks the committed locks (TestDockerfile checks that the Dockerfile
// installs from them, with checkImageEnv).
func TestImageFollowsLock(t *testing.T) {
	notebooks, binder := readLocks(t)
	for _, p := range checkLocks(notebooks, binder) {
		t.Error(p)
	}
	nv := versions(notebooks)
	t.Logf("the image serves jupyterlab %s, notebook %s from %s (%d pins) and jupyterhub %s from %s (%d pins)",
		nv["jupyterlab"], nv["notebook"], notebookLock, len(notebooks), versions(binder)["jupyterhub"], binderLock, len(binder))
}

// TestImageEnvMutations feeds broken copies of the Dockerfile to check and expects the named
// rule of checkImageEnv to reject each.
func TestImageEnvMutations(t *testing.T) {
	src, goVersion := readRepo(t)
	const binderRun = ".venv/bin/python -m pip install --require-hashes --no-deps --only-binary :all: -r " + binderLock
	for _, tc := range []struct{ name, old, new, rule string }{
		{"another jupyterlab", "", "\nRUN pip install jupyterlab==4.5.0", "lock"},
		{"another jupyterlab, hashed", "", "\nRUN .venv/bin/pip install --require-hashes -r " + binderLock + " jupyterlab==4.5.0", "lock"},
		{"jupyterlab from conda", "", "\nRUN mamba install -y jupyterlab=4.5", "lock"},
		{"jupyterlab into conda's python", binderRun, "/opt/conda/bin/python -m pip install --require-hashes -r " + binderLock, "lock"},
		{"lock skipped", binderRun, "true", "lock"},
		{"lock without hashes", binderRun, ".venv/bin/python -m pip install -r " + binderLock, "lock"},
		{"unlocked requirements", binderRun, ".venv/bin/pip install --require-hashes -r requirements.txt", "lock"},
		{"venv not first on PATH", "ENV PATH=${HOME}/.venv/bin:/usr/local/go/bin", "ENV PATH=/usr/local/go/bin:${HOME}/.venv/bin", "env"},
		{"no SETUP_PYTHON", "SETUP_PYTHON=", "NOT_SETUP_PYTHON=", "env"},
		{"SETUP_PYTHON in the venv", "SETUP_PYTHON=/opt/conda/bin/python3", "SETUP_PYTHON=${HOME}/.venv/bin/python3", "env"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			mutated := src + tc.new + "\n"
			if tc.old != "" {
				if !strings.Contains(src, tc.old) {
					t.Fatalf("the Dockerfile no longer contains %q: update this test", tc.old)
				}
				mutated = strings.Replace(src, tc.old, tc.new, 1)
			}
			expectRule(t, check(mutated, goVersion), tc.rule)
		})
	}
}

// TestLockMutations feeds broken copies of the locks to checkLocks.
func TestLockMutations(t *testing.T) {
	notebooks, binder := readLocks(t)
	nv := versions(notebooks)
	edit := func(pins []pin, name string, f func(*pin)) []pin {
		out := slices.Clone(pins)
		for i := range out {
			if out[i].name == name {
				f(&out[i])
				return out
			}
		}
		t.Fatalf("no pin of %s to mutate", name)
		return nil
	}
	shared := ""
	for _, p := range binder {
		if _, ok := nv[p.name]; ok {
			shared = p.name
			break
		}
	}
	for _, tc := range []struct {
		name   string
		nb, bl []pin
	}{
		{"jupyterlab 4.5", edit(notebooks, "jupyterlab", func(p *pin) { p.version = "4.5.0" }), binder},
		{"notebook 6", edit(notebooks, "notebook", func(p *pin) { p.version = "6.5.7" }), binder},
		{"unhashed pin", edit(notebooks, "jupyterlab", func(p *pin) { p.hashes = 0 }), binder},
		{"no jupyterhub", notebooks, slices.DeleteFunc(slices.Clone(binder), func(p pin) bool { return p.name == "jupyterhub" })},
		{"binder lock disagrees", notebooks, edit(binder, shared, func(p *pin) { p.version += ".post99" })},
	} {
		t.Run(tc.name, func(t *testing.T) { expectRule(t, checkLocks(tc.nb, tc.bl), "lock") })
	}
}

// TestParseLock checks the lock reader on the forms uv writes.
func TestParseLock(t *testing.T) {
	h := "--hash=sha256:" + strings.Repeat("ab", 32)
	pins, err := parseLock("# header\nJupyter_Server==2.21.1 \\\n    " + h + " \\\n    " + h + "\n    # via x\n" +
		"appnope==1.0.0 ; sys_platform == 'darwin' \\\n    " + h + "\n\nsix==1.17.0\n")
	if err != nil {
		t.Fatal(err)
	}
	want := []pin{
		{name: "jupyter-server", version: "2.21.1", hashes: 2, line: 2},
		{name: "appnope", version: "1.0.0", marker: "sys_platform == 'darwin'", hashes: 1, line: 6},
		{name: "six", version: "1.17.0", line: 9},
	}
	if !slices.Equal(pins, want) {
		t.Errorf("parseLock =\n%+v, want\n%+v", pins, want)
	}
	for _, bad := range []string{"jupyterlab>=4.6 \\\n  " + h + "\n", "six==1.17.0 \\"} {
		if _, err := parseLock(bad); err == nil {
			t.Errorf("parseLock(%q) accepted it", bad)
		}
	}
}

// expectRule fails the test unless one of probs comes from rule.
func expectRule(t *testing.T, probs []string, rule string) {
	t.Helper()
	if i := slices.IndexFunc(probs, func(p string) bool { return strings.HasPrefix(p, rule+":") }); i >= 0 {
		t.Logf("rejected as expected: %s", probs[i])
	} else {
		t.Errorf("rule %q did not reject the mutation; problems: %q", rule, probs)
	}
}
