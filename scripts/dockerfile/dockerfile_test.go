package dockerfile

import (
	"os"
	"path"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/mod/modfile"
)

const root = "../.."

// readRepo returns the Dockerfile's text and go.mod's go version.
func readRepo(t *testing.T) (src, goVersion string) {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(root, "Dockerfile"))
	if err != nil {
		t.Fatalf("reading the Dockerfile: %v", err)
	}
	gm, err := os.ReadFile(filepath.Join(root, "go.mod"))
	if err != nil {
		t.Fatalf("reading go.mod: %v", err)
	}
	mf, err := modfile.ParseLax("go.mod", gm, nil)
	if err != nil {
		t.Fatalf("parsing go.mod: %v", err)
	}
	if mf.Go == nil {
		t.Fatal("go.mod has no go line")
	}
	return string(b), mf.Go.Version
}

// TestDockerfile checks the repository's Dockerfile against every rule.
func TestDockerfile(t *testing.T) {
	src, goVersion := readRepo(t)
	for _, p := range check(src, goVersion) {
		t.Error(p)
	}
}

// TestSetupScriptExists checks that the install script that the Dockerfile runs is there.
func TestSetupScriptExists(t *testing.T) {
	fi, err := os.Stat(filepath.Join(root, "scripts", "setup.sh"))
	if err != nil {
		t.Fatal(err)
	}
	if !fi.Mode().IsRegular() {
		t.Fatalf("scripts/setup.sh is not a regular file (%v)", fi.Mode())
	}
}

// TestDefaultNotebookExists checks that the notebook the image opens is in notebooks/.
func TestDefaultNotebookExists(t *testing.T) {
	nbs, _ := filepath.Glob(filepath.Join(root, "notebooks", "*.ipynb"))
	if len(nbs) == 0 {
		t.Skip("notebooks/ has no notebooks yet")
	}
	if _, err := os.Stat(filepath.Join(root, "notebooks", portNotebook)); err != nil {
		t.Errorf("the Dockerfile opens notebooks/%s, which does not exist: %v", portNotebook, err)
	}
}

// TestMutations feeds broken copies of the Dockerfile to check and expects the named rule
// to reject each one, so that the checks can fail; and a few harmless edits to pass.
func TestMutations(t *testing.T) {
	src, goVersion := readRepo(t)
	df, err := parse(src)
	if err != nil {
		t.Fatal(err)
	}
	final := df.stages[len(df.stages)-1].base
	goBase := df.stages[0].base
	if splitRef(goBase).name() != "golang" {
		t.Fatalf("the first stage is FROM %s; these tests expect the golang stage first", goBase)
	}
	goRepo := splitRef(goBase).repo
	jupyterRepo := splitRef(final).repo
	const digest = "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

	tests := []struct {
		name     string
		old, new string // replace the first old with new; old "" appends new
		rule     string // the rule that must complain; "" = no problem at all
	}{
		{"base latest", "FROM " + final, "FROM " + jupyterRepo + ":latest", "pin"},
		{"base tagless", "FROM " + final, "FROM " + jupyterRepo, "pin"},
		{"base floating tag", "FROM " + final, "FROM " + jupyterRepo + ":lab", "pin"},
		{"base bad digest", "FROM " + final, "FROM " + jupyterRepo + "@sha256:1234", "pin"},
		{"base via ARG latest", "FROM " + final, "FROM ${BASE}", "pin"},
		{"base via ARG in a stage", "FROM " + final, "ARG BASE=" + final + "\nFROM ${BASE}", "parse"},
		{"go latest", "FROM " + goBase, "FROM " + goRepo + ":latest", "pin"},
		{"go bookworm", "FROM " + goBase, "FROM " + goRepo + ":bookworm", "pin"},
		{"go older minor", "FROM " + goBase, "FROM " + goRepo + ":1.25.3-bookworm", "go"},
		{"go newer minor", "FROM " + goBase, "FROM " + goRepo + ":1.27.0-bookworm", "go"},
		{"go older patch", "FROM " + goBase, "FROM " + goRepo + ":1.26.0-bookworm", "go"},
		{"go by digest only", "FROM " + goBase, "FROM " + goRepo + "@" + digest, "go"},
		{"go not copied", "COPY --from=go /usr/local/go /usr/local/go", "", "go"},
		{"go by curl", "COPY --from=go /usr/local/go /usr/local/go", "RUN curl -fsSL https://go.dev/dl/go1.26.8.linux-amd64.tar.gz | tar -C /usr/local -xz", "download"},
		{"wget", "", "\nRUN wget -q https://example.com/x.tar.gz", "download"},
		{"add url", "", "\nADD https://example.com/x.tar.gz /tmp/", "download"},
		{"final not jupyter", "FROM " + final, "FROM ubuntu:24.04", "base"},
		{"no NB_UID", "ARG NB_UID=1000", "", "args"},
		{"repo not copied", "COPY --chown=${NB_UID}:${NB_GID} . ${HOME}/", "", "copy"},
		{"repo owned by root", "COPY --chown=${NB_UID}:${NB_GID} . ${HOME}/", "COPY . ${HOME}/", "copy"},
		{"repo elsewhere", "COPY --chown=${NB_UID}:${NB_GID} . ${HOME}/", "COPY --chown=${NB_UID}:${NB_GID} . /srv/", "copy"},
		{"no setup.sh", "RUN bash scripts/setup.sh", "RUN go install github.com/janpfeifer/gonb@v0.11.4", "setup"},
		{"setup.sh as root", "RUN bash scripts/setup.sh", "USER root\nRUN bash scripts/setup.sh\nUSER ${NB_UID}", "setup"},
		{"no warm-up", "go build ./...; \\", "true; \\", "setup"},
		{"USER root last", "", "\nUSER root", "user"},
		{"USER 0 last", "", "\nUSER 0:0", "user"},
		{"no USER", "USER ${NB_UID}", "", "user"},
		{"other port", "EXPOSE 8888", "EXPOSE 8080", "expose"},
		{"not lab", `CMD ["start-notebook.py"`, `CMD ["python3", "-m", "http.server"`, "cmd"},
		{"classic notebook", "DOCKER_STACKS_JUPYTER_CMD=lab", "DOCKER_STACKS_JUPYTER_CMD=notebook", "cmd"},
		{"no CMD", `CMD ["start-notebook.py"`, `# CMD ["start-notebook.py"`, "cmd"},
		{"other entrypoint", "", "\nENTRYPOINT [\"/bin/sh\", \"-c\"]", "cmd"},
		{"other notebook", "/lab/tree/notebooks/" + portNotebook, "/lab/tree/notebooks/other.ipynb", "cmd"},
		// Edits that keep the Dockerfile acceptable.
		{"base by digest", "FROM " + final, "FROM " + jupyterRepo + "@" + digest, ""},
		{"base tag and digest", "FROM " + final, "FROM " + final + "@" + digest, ""},
		{"go minor tag", "FROM " + goBase, "FROM " + goRepo + ":1.26-bookworm", ""},
		{"go newer patch", "FROM " + goBase, "FROM " + goRepo + ":1.26.99-bookworm", ""},
		{"jupyter lab command", `CMD ["start-notebook.py"`, `CMD ["jupyter", "lab"`, ""},
		{"USER by name", "USER ${NB_UID}", "USER ${NB_USER}", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var mutated string
			if tc.old == "" {
				mutated = src + tc.new + "\n"
			} else {
				if !strings.Contains(src, tc.old) {
					t.Fatalf("the Dockerfile no longer contains %q: update this test", tc.old)
				}
				mutated = strings.Replace(src, tc.old, tc.new, 1)
			}
			if strings.Contains(tc.new, "${BASE}") && tc.rule == "pin" {
				// A global ARG, before the first FROM, as a FROM line may use.
				mutated = "ARG BASE=" + jupyterRepo + ":latest\n" + mutated
			}
			probs := check(mutated, goVersion)
			if tc.rule == "" {
				for _, p := range probs {
					t.Errorf("unexpected problem: %s", p)
				}
				return
			}
			for _, p := range probs {
				if strings.HasPrefix(p, tc.rule+":") {
					t.Logf("rejected as expected: %s", p)
					return
				}
			}
			t.Errorf("rule %q did not reject the mutation; problems: %q", tc.rule, probs)
		})
	}
}

// TestPinned checks the pin rule on references alone.
func TestPinned(t *testing.T) {
	for _, tc := range []struct {
		ref string
		ok  bool
	}{
		{"golang:1.26.8-bookworm", true},
		{"golang:1.26-bookworm", true},
		{"quay.io/jupyter/base-notebook:2026-08-24", true},
		{"quay.io/jupyter/base-notebook:lab-4.6.3", true},
		{"localhost:5000/img:1.0", true},
		{"golang@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", true},
		{"golang", false},
		{"golang:latest", false},
		{"golang:LATEST", false},
		{"golang:bookworm", false},
		{"localhost:5000/img", false},
		{"golang@sha256:abc", false},
	} {
		if why := pinned(tc.ref); (why == "") != tc.ok {
			t.Errorf("pinned(%q) = %q, want ok=%v", tc.ref, why, tc.ok)
		}
	}
}

// TestDockerignore checks that build outputs, node packages and git history stay out of the
// build context, and that what the image needs stays in.
func TestDockerignore(t *testing.T) {
	b, err := os.ReadFile(filepath.Join(root, ".dockerignore"))
	if err != nil {
		t.Fatal(err)
	}
	patterns := ignorePatterns(string(b))
	for _, p := range []string{
		".git/HEAD",
		"build/notebooks/nb7_softmax_mnist.ipynb",
		"build/e2e/screenshot.png",
		"scripts/e2e/node_modules/playwright-core/package.json",
		"node_modules/x/index.js",
		".venv/bin/python", ".venv-bench/pyvenv.cfg",
		"softmax.test",
	} {
		if !ignored(patterns, p) {
			t.Errorf(".dockerignore lets %s into the image", p)
		}
	}
	for _, p := range []string{
		"go.mod", "go.sum", "Dockerfile", "scripts/dockerfile/go.mod",
		"scripts/setup.sh", "scripts/run-notebooks.sh", "scripts/test.sh",
		"pkg/mnist/mnist.go", "pkg/preprocess/testdata/numpy_golden.json",
		notebookLock, binderLock,
		"notebooks/" + portNotebook,
	} {
		if ignored(patterns, p) {
			t.Errorf(".dockerignore keeps %s out of the image, which needs it", p)
		}
	}
}

// ignorePatterns returns the patterns of a .dockerignore file (comments and blanks dropped).
func ignorePatterns(text string) []string {
	var out []string
	for _, l := range strings.Split(text, "\n") {
		l = strings.TrimSpace(l)
		if l == "" || strings.HasPrefix(l, "#") {
			continue
		}
		out = append(out, l)
	}
	return out
}

// ignored reports whether .dockerignore patterns exclude the slash-separated path p: the
// last matching pattern wins, "!" re-includes, a pattern matching a directory excludes what
// is under it, and "**/" matches any number of leading directories.
func ignored(patterns []string, p string) bool {
	out := false
	for _, pat := range patterns {
		neg := strings.HasPrefix(pat, "!")
		pat = path.Clean(strings.TrimPrefix(strings.TrimPrefix(pat, "!"), "/"))
		if matchPath(pat, p) {
			out = !neg
		}
	}
	return out
}

func matchPath(pat, p string) bool {
	parts := strings.Split(p, "/")
	// Try the path and each of its parent directories.
	for n := len(parts); n > 0; n-- {
		cand := strings.Join(parts[:n], "/")
		if rest, ok := strings.CutPrefix(pat, "**/"); ok {
			cp := strings.Split(cand, "/")
			for i := range cp {
				if m, _ := path.Match(rest, strings.Join(cp[i:], "/")); m {
					return true
				}
			}
			continue
		}
		if m, _ := path.Match(pat, cand); m {
			return true
		}
	}
	return false
}
