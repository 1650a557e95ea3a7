package workflows

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// root is the repository, seen from this package's directory.
const root = "../.."

// finding is one problem reported by actionlint (its -format '{{json .}}' fields).
type finding struct {
	Message  string `json:"message"`
	Filepath string `json:"filepath"`
	Line     int    `json:"line"`
	Column   int    `json:"column"`
	Kind     string `json:"kind"` // the rule: syntax-check, action, expression, shellcheck, ...
}

func (f finding) String() string {
	return fmt.Sprintf("%s:%d:%d: %s [%s]", f.Filepath, f.Line, f.Column, f.Message, f.Kind)
}

var actionlintBin = sync.OnceValues(func() (string, error) {
	// go tool -n builds the tool of this module's go.mod (or takes it from the build cache)
	// and prints the path of the binary instead of running it.
	out, err := exec.Command("go", "tool", "-n", "actionlint").Output()
	if err != nil {
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			err = errors.New(strings.TrimSpace(string(ee.Stderr)))
		}
		return "", err
	}
	return strings.TrimSpace(string(out)), nil
})

// lint runs actionlint in dir on the given workflow files and returns its findings.
func lint(t *testing.T, dir string, files ...string) []finding {
	t.Helper()
	bin, err := actionlintBin()
	if err != nil {
		t.Fatalf("go tool -n actionlint: %v", err)
	}
	cmd := exec.Command(bin, append([]string{"-no-color", "-format", "{{json .}}"}, files...)...)
	cmd.Dir = dir
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err = cmd.Run()
	// Exit status 0: no finding; 1: findings; anything else: actionlint itself failed.
	var ee *exec.ExitError
	if err != nil && !(errors.As(err, &ee) && ee.ExitCode() == 1) {
		t.Fatalf("actionlint %s: %v\n%s", strings.Join(files, " "), err, stderr.String())
	}
	var fs []finding
	if err := json.Unmarshal(stdout.Bytes(), &fs); err != nil {
		t.Fatalf("reading actionlint's JSON output: %v\n%s", err, stdout.String())
	}
	if err != nil && len(fs) == 0 {
		t.Fatalf("actionlint exited 1 without a finding: %s", stderr.String())
	}
	return fs
}

// workflowFiles returns the repository's workflow files, relative to root.
func workflowFiles(t *testing.T) []string {
	t.Helper()
	var files []string
	for _, pat := range []string{"*.yml", "*.yaml"} {
		m, err := filepath.Glob(filepath.Join(root, ".github", "workflows", pat))
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range m {
			rel, _ := filepath.Rel(root, f)
			files = append(files, rel)
		}
	}
	if len(files) == 0 {
		t.Fatal("no workflow in .github/workflows")
	}
	return files
}

func shellcheckNote() string {
	if p, err := exec.LookPath("shellcheck"); err == nil {
		return "run: scripts checked with " + p
	}
	return "shellcheck is not on PATH, so actionlint did not check the run: scripts (GitHub's runners have it)"
}

// TestActionlint lints every workflow of the repository and fails on any finding.
func TestActionlint(t *testing.T) {
	files := workflowFiles(t)
	for _, f := range lint(t, root, files...) {
		t.Error(f)
	}
	t.Logf("actionlint checked %s; %s", strings.Join(files, ", "), shellcheckNote())
}
