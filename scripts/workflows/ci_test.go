package workflows

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/rhysd/actionlint"
)

// ciFile is the workflow that runs the README's commands.
const ciFile = ".github/workflows/ci.yml"

// readmeCommands returns the command lines of the README's "Two commands" block, in order,
// without their comments.
func readmeCommands(readme string) ([]string, error) {
	_, sec, ok := strings.Cut(readme, "\n## Two commands\n")
	if !ok {
		return nil, fmt.Errorf("README.md has no \"## Two commands\" section")
	}
	_, block, ok := strings.Cut(sec, "```sh\n")
	if !ok {
		return nil, fmt.Errorf("README.md's \"Two commands\" section has no ```sh block")
	}
	block, _, _ = strings.Cut(block, "```")
	var cmds []string
	for l := range strings.Lines(block) {
		l, _, _ = strings.Cut(l, "#")
		if l = strings.TrimSpace(l); l != "" {
			cmds = append(cmds, l)
		}
	}
	if len(cmds) == 0 {
		return nil, fmt.Errorf("README.md's \"Two commands\" block holds no command")
	}
	return cmds, nil
}

// runStep returns the index of the first run: step of job with a script line equal to cmd,
// or -1.
func runStep(job *actionlint.Job, cmd string) int {
	for i, st := range job.Steps {
		r, ok := st.Exec.(*actionlint.ExecRun)
		if !ok || r.Run == nil {
			continue
		}
		for l := range strings.Lines(r.Run.Value) {
			if strings.TrimSpace(l) == cmd {
				return i
			}
		}
	}
	return -1
}

// actionStep returns the index and the step of the first step of job that uses the action
// name (owner/repo, any version), or -1 and nil.
func actionStep(job *actionlint.Job, name string) (int, *actionlint.ExecAction) {
	for i, st := range job.Steps {
		if a, ok := st.Exec.(*actionlint.ExecAction); ok && a.Uses != nil && strings.HasPrefix(a.Uses.Value, name+"@") {
			return i, a
		}
	}
	return -1, nil
}

// input returns the value of an action's input ("" if unset).
func input(a *actionlint.ExecAction, name string) string {
	if in, ok := a.Inputs[name]; ok && in.Value != nil {
		return in.Value.Value
	}
	return ""
}

// checkCI returns the problems of the workflow src against what the project asks of CI: one
// job on ubuntu-latest runs the README's commands as run: steps in the README's order, after
// actions/setup-go with go-version-file go.mod, and uploads build/notebooks/ whatever the
// outcome. Each problem starts with the name of its rule and a colon.
func checkCI(src []byte, commands []string) []string {
	wf, errs := actionlint.Parse(src)
	if len(errs) > 0 {
		var probs []string
		for _, e := range errs {
			probs = append(probs, "parse: "+e.Error())
		}
		return probs
	}
	var probs []string
	fail := func(rule, format string, a ...any) {
		probs = append(probs, rule+": "+fmt.Sprintf(format, a...))
	}
	var id string
	var job *actionlint.Job
	for _, k := range slices.Sorted(func(yield func(string) bool) {
		for k := range wf.Jobs {
			if !yield(k) {
				return
			}
		}
	}) {
		if runStep(wf.Jobs[k], commands[0]) >= 0 {
			id, job = k, wf.Jobs[k]
			break
		}
	}
	if job == nil {
		fail("commands", "no job has a run: step %q", commands[0])
		return probs
	}

	first, last := len(job.Steps), -1
	for _, c := range commands {
		i := runStep(job, c)
		switch {
		case i < 0:
			fail("commands", "job %s has no run: step %q", id, c)
			continue
		case i < last:
			fail("commands", "job %s runs %q (step %d) before the command the README puts first (step %d)", id, c, i+1, last+1)
		}
		first, last = min(first, i), max(last, i)
	}

	if job.RunsOn == nil || !slices.ContainsFunc(job.RunsOn.Labels, func(l *actionlint.String) bool { return l.Value == "ubuntu-latest" }) {
		fail("runner", "job %s does not run on ubuntu-latest", id)
	}

	switch i, a := actionStep(job, "actions/setup-go"); {
	case a == nil:
		fail("go", "job %s does not use actions/setup-go", id)
	case input(a, "go-version-file") != "go.mod" || input(a, "go-version") != "":
		fail("go", "job %s: actions/setup-go must take the version from go.mod (go-version-file: go.mod, no go-version)", id)
	case i > first:
		fail("go", "job %s sets up Go (step %d) after the first command (step %d)", id, i+1, first+1)
	}

	switch i, a := actionStep(job, "actions/upload-artifact"); {
	case a == nil:
		fail("artifact", "job %s uploads no artifact", id)
	case !slices.ContainsFunc(strings.Fields(input(a, "path")), func(p string) bool { return filepath.Clean(p) == "build/notebooks" }):
		fail("artifact", "job %s: the artifact's path does not list build/notebooks/", id)
	case job.Steps[i].If == nil || !strings.Contains(job.Steps[i].If.Value, "always()"):
		fail("artifact", "job %s: the upload step needs if: always() (the notebooks matter most when a step failed)", id)
	case i < last:
		fail("artifact", "job %s uploads (step %d) before the last command (step %d)", id, i+1, last+1)
	}
	return probs
}

// readCI returns ci.yml and the README's commands.
func readCI(t *testing.T) ([]byte, []string) {
	t.Helper()
	src, err := os.ReadFile(filepath.Join(root, ciFile))
	if err != nil {
		t.Fatal(err)
	}
	readme, err := os.ReadFile(filepath.Join(root, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	cmds, err := readmeCommands(string(readme))
	if err != nil {
		t.Fatal(err)
	}
	return src, cmds
}

// TestCIRunsTheReadmeCommands checks ci.yml against the README's "Two commands".
func TestCIRunsTheReadmeCommands(t *testing.T) {
	src, cmds := readCI(t)
	if len(cmds) != 2 {
		t.Errorf("the README's \"Two commands\" block holds %d commands: %q", len(cmds), cmds)
	}
	for _, p := range checkCI(src, cmds) {
		t.Error(p)
	}
	t.Logf("ci.yml runs %q", cmds)
}

// mutate replaces the first old in src with new, failing the test if old is not there.
func mutate(t *testing.T, src, old, new string) string {
	t.Helper()
	if !strings.Contains(src, old) {
		t.Fatalf("%s no longer contains %q: update this test", ciFile, old)
	}
	return strings.Replace(src, old, new, 1)
}

// TestCIMutations feeds broken copies of ci.yml to checkCI and expects the named rule to
// reject each.
func TestCIMutations(t *testing.T) {
	src, cmds := readCI(t)
	tests := []struct {
		name, old, new, rule string
	}{
		{"no tests", "run: " + cmds[1], "run: echo skipped", "commands"},
		{"no notebooks", "run: " + cmds[0], "run: echo skipped", "commands"},
		{"swapped", "run: " + cmds[0], "run: " + cmds[1] + "\n      - run: " + cmds[0], "commands"},
		{"other runner", "runs-on: ubuntu-latest", "runs-on: ubuntu-22.04", "runner"},
		{"Go by version", "go-version-file: go.mod", "go-version: \"1.26\"", "go"},
		{"no setup-go", "uses: actions/setup-go@", "uses: example/setup-go@", "go"},
		{"artifact without notebooks", "            build/notebooks/\n", "", "artifact"},
		{"artifact only on success", "if: ${{ always() }}", "if: ${{ success() }}", "artifact"},
		{"no artifact", "uses: actions/upload-artifact@", "uses: example/upload-artifact@", "artifact"},
		{"broken YAML", "jobs:\n", "jobs:\n  - [\n", "parse"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			probs := checkCI([]byte(mutate(t, string(src), tc.old, tc.new)), cmds)
			if i := slices.IndexFunc(probs, func(p string) bool { return strings.HasPrefix(p, tc.rule+":") }); i >= 0 {
				t.Logf("rejected as expected: %s", probs[i])
			} else {
				t.Errorf("rule %q did not reject the mutation; problems: %q", tc.rule, probs)
			}
		})
	}
}

// TestActionlintMutations lints broken copies of ci.yml and expects actionlint to report a
// finding of the named kind for each, so that TestActionlint can fail.
func TestActionlintMutations(t *testing.T) {
	b, err := os.ReadFile(filepath.Join(root, ciFile))
	if err != nil {
		t.Fatal(err)
	}
	src := string(b)
	tests := []struct {
		name, old, new, kind string
		shellcheck           bool // needs shellcheck on PATH
	}{
		{"unknown input", "go-version-file:", "go-version-fil:", "action", false},
		{"misspelt key", "timeout-minutes:", "timeout-minute:", "syntax-check", false},
		{"unknown runner", "runs-on: ubuntu-latest", "runs-on: ubuntu-lates", "runner-label", false},
		{"undefined context", "${{ github.ref }}", "${{ github.reff }}", "expression", false},
		{"bad expression", "${{ always() }}", "${{ always( }}", "expression", false},
		{"action too old", "actions/checkout@v6", "actions/checkout@v2", "action", false},
		{"required input missing", "          path: |", "          paths: |", "action", false},
		{"unquoted variable", `test -x "$E2E_CHROMIUM"`, `test -x $E2E_CHROMIUM`, "shellcheck", true},
	}
	_, errShellcheck := exec.LookPath("shellcheck")
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if tc.shellcheck && errShellcheck != nil {
				t.Skip("shellcheck is not on PATH: actionlint skips the run: scripts")
			}
			dir := t.TempDir()
			wf := filepath.Join(dir, filepath.FromSlash(ciFile))
			if err := os.MkdirAll(filepath.Dir(wf), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(wf, []byte(mutate(t, src, tc.old, tc.new)), 0o644); err != nil {
				t.Fatal(err)
			}
			fs := lint(t, dir, filepath.FromSlash(ciFile))
			if i := slices.IndexFunc(fs, func(f finding) bool { return f.Kind == tc.kind }); i >= 0 {
				t.Logf("rejected as expected: %s", fs[i])
			} else {
				t.Errorf("actionlint found no %q problem; findings: %v", tc.kind, fs)
			}
		})
	}
}
