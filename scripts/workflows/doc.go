// Package workflows holds the tests of the repository's GitHub Actions workflows
// (.github/workflows/*.yml), which cannot run anywhere but on GitHub.
//
// It is a nested module (its own go.mod) so that actionlint, a tool of the project's CI and
// not of the library, stays out of the library's go.mod. The tests
//
//   - lint every workflow with actionlint (github.com/rhysd/actionlint, the version of this
//     module's tool directive, run as `go tool actionlint`) and fail on any finding; actionlint
//     checks the YAML against GitHub's workflow syntax, the inputs of the actions used
//     against their action.yml, the expressions and the runner labels, and, when shellcheck
//     is on PATH (it is on GitHub's Ubuntu runners), the run: scripts;
//   - check that ci.yml runs the README's two commands ("Two commands" section), in the
//     README's order, on ubuntu-latest, with Go from go.mod, and uploads build/notebooks/;
//   - feed broken copies of ci.yml to both checks and assert that each one is rejected.
//
// The package has no non-test code: (cd scripts/workflows && go test ./...) runs it, and
// scripts/test.sh does so for every nested module.
package workflows
