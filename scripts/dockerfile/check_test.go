package dockerfile

import (
	"fmt"
	"path"
	"regexp"
	"strconv"
	"strings"

	"github.com/moby/buildkit/frontend/dockerfile/parser"
	"github.com/moby/buildkit/frontend/dockerfile/shell"
)

// Expectations of the image; the checks below compare the Dockerfile against them.
const (
	notebookUser = "jovyan"                  // NB_USER default of repo2docker and Jupyter Docker Stacks
	notebookUID  = "1000"                    // NB_UID default
	homeDir      = "/home/" + notebookUser   // where the repository is copied
	jupyterPort  = "8888"                    // the port Binder and docker run -p expect
	portNotebook = "nb7_softmax_mnist.ipynb" // the notebook JupyterLab opens
)

// instr is one instruction of a stage, with the variables in effect before it.
type instr struct {
	cmd   string            // lower-case instruction name: run, copy, user, ...
	node  *parser.Node      // the parsed instruction
	env   map[string]string // ARG defaults and ENV values in effect (global ARGs excluded)
	index int               // position in the stage
}

// args returns the instruction's arguments (the words after the instruction name).
func (in instr) args() []string {
	var out []string
	for n := in.node.Next; n != nil; n = n.Next {
		out = append(out, n.Value)
	}
	return out
}

// flag returns the value of the flag --name=value and whether it is set.
func (in instr) flag(name string) (string, bool) {
	for _, f := range in.node.Flags {
		if v, ok := strings.CutPrefix(f, "--"+name+"="); ok {
			return v, true
		}
	}
	return "", false
}

// isJSON reports whether the instruction uses the exec (JSON array) form.
func (in instr) isJSON() bool { return in.node.Attributes["json"] }

// expand substitutes the variables in effect into word, as docker build does.
func (in instr) expand(word string) (string, error) {
	return expand(word, in.env)
}

// line is the instruction's first line in the Dockerfile.
func (in instr) line() int { return in.node.StartLine }

// stage is one FROM section of the Dockerfile.
type stage struct {
	name   string // the AS name, lower case; empty if none
	base   string // the FROM reference with the global ARGs substituted
	line   int
	instrs []instr
	env    map[string]string // ARG defaults and ENV values in effect at the end of the stage
}

// dockerfile is a Dockerfile parsed by BuildKit's parser.
type dockerfile struct {
	stages   []stage
	warnings []string // the parser's warnings
}

var lex = shell.NewLex('\\')

func expand(word string, env map[string]string) (string, error) {
	kv := make([]string, 0, len(env))
	for k, v := range env {
		kv = append(kv, k+"="+v)
	}
	out, unmatched, err := lex.ProcessWord(word, shell.EnvsFromSlice(kv))
	if err != nil {
		return "", err
	}
	if len(unmatched) > 0 {
		var names []string
		for n := range unmatched {
			names = append(names, n)
		}
		return out, fmt.Errorf("undefined variable(s) %s in %q", strings.Join(names, ", "), word)
	}
	return out, nil
}

// parseArg splits an ARG or ENV word "NAME=value" (value optional).
func parseArg(word string) (name, value string, hasValue bool) {
	name, value, hasValue = strings.Cut(word, "=")
	if hasValue {
		if u, err := strconv.Unquote(value); err == nil {
			value = u
		}
	}
	return name, value, hasValue
}

// parse parses src with BuildKit's parser and splits it into stages, tracking the ARG
// defaults and ENV values in effect at every instruction.
func parse(src string) (*dockerfile, error) {
	res, err := parser.Parse(strings.NewReader(src))
	if err != nil {
		return nil, err
	}
	df := &dockerfile{}
	for _, w := range res.Warnings {
		df.warnings = append(df.warnings, w.Short)
	}
	global := map[string]string{}
	var cur *stage
	var env map[string]string
	for _, n := range res.AST.Children {
		cmd := strings.ToLower(n.Value)
		if cmd == "from" {
			if n.Next == nil {
				return nil, fmt.Errorf("line %d: FROM without an image", n.StartLine)
			}
			base, err := expand(n.Next.Value, global)
			if err != nil {
				return nil, fmt.Errorf("line %d: FROM: %v", n.StartLine, err)
			}
			env = map[string]string{}
			st := stage{base: base, line: n.StartLine, env: env}
			if as := n.Next.Next; as != nil && strings.EqualFold(as.Value, "as") && as.Next != nil {
				st.name = strings.ToLower(as.Next.Value)
			}
			df.stages = append(df.stages, st)
			cur = &df.stages[len(df.stages)-1]
			continue
		}
		if cur == nil {
			// Before the first FROM only ARG is allowed: the global (meta) arguments.
			if cmd != "arg" {
				return nil, fmt.Errorf("line %d: %s before the first FROM", n.StartLine, n.Value)
			}
			for a := n.Next; a != nil; a = a.Next {
				if name, v, ok := parseArg(a.Value); ok {
					global[name] = v
				}
			}
			continue
		}
		snapshot := make(map[string]string, len(env))
		for k, v := range env {
			snapshot[k] = v
		}
		in := instr{cmd: cmd, node: n, env: snapshot, index: len(cur.instrs)}
		cur.instrs = append(cur.instrs, in)
		switch cmd {
		case "arg":
			for a := n.Next; a != nil; a = a.Next {
				name, v, ok := parseArg(a.Value)
				if !ok {
					// ARG NAME without a default re-declares a global ARG in the stage.
					v, ok = global[name]
				}
				if ok {
					if x, err := expand(v, env); err == nil {
						v = x
					}
					env[name] = v
				}
			}
		case "env":
			// The parser gives ENV as (name, value, delimiter) triples.
			for a := n.Next; a != nil && a.Next != nil; {
				v, err := expand(a.Next.Value, env)
				if err != nil {
					v = a.Next.Value
				}
				env[a.Value] = v
				a = a.Next.Next
				if a != nil {
					a = a.Next
				}
			}
		}
	}
	if len(df.stages) == 0 {
		return nil, fmt.Errorf("no FROM instruction")
	}
	return df, nil
}

// imageRef is an image reference split into its parts.
type imageRef struct {
	repo   string // registry and path, e.g. quay.io/jupyter/base-notebook
	tag    string // empty if none
	digest string // "sha256:..." or empty
}

func splitRef(ref string) imageRef {
	var r imageRef
	if at := strings.Index(ref, "@"); at >= 0 {
		r.digest = ref[at+1:]
		ref = ref[:at]
	}
	// A colon after the last slash starts the tag (an earlier one is a registry port).
	if c := strings.LastIndex(ref, ":"); c > strings.LastIndex(ref, "/") {
		r.tag = ref[c+1:]
		ref = ref[:c]
	}
	r.repo = ref
	return r
}

// name is the repository without a docker.io/library prefix: "golang" for all of
// golang, library/golang and docker.io/library/golang.
func (r imageRef) name() string {
	n := strings.TrimPrefix(r.repo, "docker.io/")
	return strings.TrimPrefix(n, "library/")
}

var (
	digestRE = regexp.MustCompile(`^sha256:[0-9a-f]{64}$`)
	tagRE    = regexp.MustCompile(`^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$`)
	goTagRE  = regexp.MustCompile(`^(\d+)\.(\d+)(?:\.(\d+))?(?:-|$)`)
	goModRE  = regexp.MustCompile(`^(\d+)\.(\d+)(?:\.(\d+))?`)
	setupRE  = regexp.MustCompile(`(^|[\s;&|(/])scripts/setup\.sh(\s|$|[;&|)])`)
	warmupRE = regexp.MustCompile(`\bgo\s+(build|test|vet)\b`)
	fetchRE  = regexp.MustCompile(`(^|[\s;&|(/])(curl|wget)(\s|$)`)
)

// pinned reports why ref is not pinned to a specific image, or "" if it is.
func pinned(ref string) string {
	r := splitRef(ref)
	switch {
	case r.digest != "":
		if !digestRE.MatchString(r.digest) {
			return fmt.Sprintf("digest %q is not sha256:<64 hex digits>", r.digest)
		}
		return ""
	case r.tag == "":
		return "no tag or digest (that means latest)"
	case strings.EqualFold(r.tag, "latest"):
		return "tag latest moves"
	case !tagRE.MatchString(r.tag):
		return fmt.Sprintf("tag %q is not a valid tag", r.tag)
	case !strings.ContainsAny(r.tag, "0123456789"):
		return fmt.Sprintf("tag %q names no version or date, so it moves", r.tag)
	}
	return ""
}

// check returns the problems of the Dockerfile src against the rules of the package
// documentation; goVersion is go.mod's go line (e.g. "1.26.8"). Each problem starts with the
// name of its rule and a colon. An empty result means the Dockerfile passes.
func check(src, goVersion string) []string {
	var probs []string
	fail := func(rule, format string, a ...any) {
		probs = append(probs, rule+": "+fmt.Sprintf(format, a...))
	}
	df, err := parse(src)
	if err != nil {
		return []string{"parse: " + err.Error()}
	}
	for _, w := range df.warnings {
		fail("parse", "parser warning: %s", w)
	}

	// Pinned base images; stage names and scratch are not images.
	names := map[string]int{}
	goStage := -1
	for i, st := range df.stages {
		if _, ok := names[strings.ToLower(st.base)]; ok || st.base == "scratch" {
		} else if why := pinned(st.base); why != "" {
			fail("pin", "FROM %s (line %d): %s", st.base, st.line, why)
		}
		if splitRef(st.base).name() == "golang" {
			if goStage >= 0 {
				fail("go", "more than one golang stage (lines %d and %d)", df.stages[goStage].line, st.line)
			}
			goStage = i
		}
		if st.name != "" {
			names[st.name] = i
		}
	}
	final := df.stages[len(df.stages)-1]

	// The Go stage: the official image, go.mod's version, copied into the final stage.
	want := goModRE.FindStringSubmatch(goVersion)
	switch {
	case want == nil:
		fail("go", "cannot read go.mod's go version %q", goVersion)
	case goStage < 0 || goStage == len(df.stages)-1:
		fail("go", "no build stage FROM the official golang image")
	default:
		st := df.stages[goStage]
		ref := splitRef(st.base)
		got := goTagRE.FindStringSubmatch(ref.tag)
		if got == nil {
			fail("go", "FROM %s (line %d): the tag names no Go version; go.mod says go %s", st.base, st.line, goVersion)
		} else if got[1] != want[1] || got[2] != want[2] {
			fail("go", "FROM %s (line %d): Go %s.%s, but go.mod says go %s", st.base, st.line, got[1], got[2], goVersion)
		} else if got[3] != "" && want[3] != "" {
			gp, _ := strconv.Atoi(got[3])
			wp, _ := strconv.Atoi(want[3])
			if gp < wp {
				fail("go", "FROM %s (line %d): Go %s.%s.%d is older than go.mod's go %s", st.base, st.line, got[1], got[2], gp, goVersion)
			}
		}
		copied := false
		for _, in := range final.instrs {
			from, ok := in.flag("from")
			if in.cmd != "copy" || !ok {
				continue
			}
			if from != st.name && from != strconv.Itoa(goStage) {
				continue
			}
			a := in.args()
			if len(a) == 2 && path.Clean(a[0]) == "/usr/local/go" {
				copied = true
			}
		}
		if !copied {
			fail("go", "the final stage does not COPY --from=%s /usr/local/go", st.name)
		}
	}

	// No downloads with curl or wget, no ADD of URLs or git repositories, in any stage.
	for _, st := range df.stages {
		for _, in := range st.instrs {
			text := strings.Join(in.args(), " ")
			switch in.cmd {
			case "run":
				if fetchRE.MatchString(text) {
					fail("download", "line %d: RUN uses curl or wget (take files from an image stage or a package manager): %s", in.line(), text)
				}
			case "add":
				for _, a := range in.args() {
					if strings.Contains(a, "://") || strings.HasPrefix(a, "git@") {
						fail("download", "line %d: ADD of a remote source %s", in.line(), a)
					}
				}
			}
		}
	}

	// The final stage: a Jupyter Docker Stacks image, as Binder's repo2docker expects.
	if r := splitRef(final.base); !strings.HasPrefix(r.repo, "quay.io/jupyter/") && !strings.HasPrefix(r.name(), "jupyter/") {
		fail("base", "the final stage FROM %s is not a Jupyter Docker Stacks image (quay.io/jupyter/...)", final.base)
	}
	declared := map[string]bool{}
	for _, in := range final.instrs {
		if in.cmd == "arg" {
			for _, a := range in.args() {
				name, _, _ := parseArg(a)
				declared[name] = true
			}
		}
	}
	for _, a := range []string{"NB_USER", "NB_UID"} {
		if !declared[a] {
			fail("args", "the final stage does not declare ARG %s (repo2docker passes it)", a)
		}
	}

	// user returns the user in effect before instruction i of the final stage ("" = the
	// base image's).
	user := func(i int) (string, int) {
		u, line := "", 0
		for _, in := range final.instrs[:i] {
			if in.cmd == "user" && len(in.args()) > 0 {
				v, err := in.expand(in.args()[0])
				if err != nil {
					v = in.args()[0]
				}
				u, line = v, in.line()
			}
		}
		return u, line
	}
	isNotebookUser := func(u string) bool {
		name, _, _ := strings.Cut(u, ":")
		return name == notebookUID || name == notebookUser
	}

	// The repository copied into the notebook user's home, owned by that user.
	copyAt := -1
	for i, in := range final.instrs {
		if in.cmd != "copy" {
			continue
		}
		if _, ok := in.flag("from"); ok {
			continue
		}
		a := in.args()
		if len(a) != 2 || path.Clean(a[0]) != "." {
			continue
		}
		dest, err := in.expand(a[1])
		if err != nil || path.Clean(dest) != homeDir {
			fail("copy", "line %d: COPY . %s: the repository goes to %s", in.line(), a[1], homeDir)
			continue
		}
		chown, _ := in.flag("chown")
		if chown, err = in.expand(chown); err != nil || !isNotebookUser(chown) {
			fail("copy", "line %d: COPY . %s must be --chown=%s (the notebook user), not %q", in.line(), a[1], notebookUID, chown)
		}
		copyAt = i
		break
	}
	if copyAt < 0 {
		fail("copy", "no COPY of the repository (COPY --chown=${NB_UID} . ${HOME}) in the final stage")
	}

	// scripts/setup.sh after that COPY, as the notebook user (its kernel goes to $HOME).
	setupAt := -1
	for i, in := range final.instrs {
		if in.cmd == "run" && setupRE.MatchString(strings.Join(in.args(), " ")) {
			setupAt = i
			break
		}
	}
	switch {
	case setupAt < 0:
		fail("setup", "no RUN of scripts/setup.sh in the final stage: the image must install the way CI does")
	case copyAt >= 0 && setupAt < copyAt:
		fail("setup", "line %d: scripts/setup.sh runs before the repository is copied", final.instrs[setupAt].line())
	default:
		if u, _ := user(setupAt); !isNotebookUser(u) {
			fail("setup", "line %d: scripts/setup.sh runs as %q, not as the notebook user %s", final.instrs[setupAt].line(), u, notebookUID)
		}
		warm := false
		for _, in := range final.instrs[setupAt:] {
			if in.cmd == "run" && warmupRE.MatchString(strings.Join(in.args(), " ")) {
				warm = true
			}
		}
		if !warm {
			fail("setup", "no warm-up build (go build, go test or go vet) from scripts/setup.sh on")
		}
	}

	// The final user.
	if u, line := user(len(final.instrs)); u == "" {
		fail("user", "no USER in the final stage: set USER ${NB_UID}")
	} else if name, _, _ := strings.Cut(u, ":"); name == "root" || name == "0" {
		fail("user", "line %d: the final USER is root", line)
	} else if !isNotebookUser(u) {
		fail("user", "line %d: the final USER %q is not the notebook user %s (uid %s)", line, u, notebookUser, notebookUID)
	}

	// The port.
	exposed := false
	for _, in := range final.instrs {
		if in.cmd != "expose" {
			continue
		}
		for _, p := range in.args() {
			if p, err := in.expand(p); err == nil && (p == jupyterPort || p == jupyterPort+"/tcp") {
				exposed = true
			}
		}
	}
	if !exposed {
		fail("expose", "the final stage does not EXPOSE %s", jupyterPort)
	}

	// The default command starts JupyterLab on the port notebook.
	var cmd, entry *instr
	for i, in := range final.instrs {
		switch in.cmd {
		case "cmd":
			cmd = &final.instrs[i]
		case "entrypoint":
			entry = &final.instrs[i]
		}
	}
	if entry != nil {
		// The base image's ENTRYPOINT (tini + start.sh) is what runs CMD as the right user.
		text := strings.Join(entry.args(), " ")
		if !strings.Contains(text, "start.sh") && !strings.Contains(text, "tini") {
			fail("cmd", "line %d: ENTRYPOINT %s replaces the base image's tini/start.sh", entry.line(), text)
		}
	}
	if cmd == nil {
		fail("cmd", "no CMD in the final stage: the default command must start JupyterLab")
	} else {
		words := cmd.args()
		if !cmd.isJSON() {
			words = strings.Fields(strings.Join(words, " "))
		}
		lab := false
		for i, w := range words {
			switch path.Base(w) {
			case "jupyter-lab":
				lab = true
			case "jupyter":
				lab = lab || (i+1 < len(words) && words[i+1] == "lab")
			case "start-notebook.py", "start-notebook.sh":
				// Jupyter Docker Stacks' launcher starts JupyterLab unless told otherwise.
				v, set := cmd.env["DOCKER_STACKS_JUPYTER_CMD"]
				lab = lab || !set || v == "lab"
			}
		}
		if !lab {
			fail("cmd", "line %d: CMD %s does not start JupyterLab", cmd.line(), strings.Join(words, " "))
		}
		if !strings.Contains(strings.Join(words, " "), portNotebook) {
			fail("cmd", "line %d: CMD does not open notebooks/%s", cmd.line(), portNotebook)
		}
	}

	// The Python environment: the committed locks' (lock_test.go).
	checkImageEnv(df, fail)
	return probs
}
