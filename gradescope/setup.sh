#!/usr/bin/env bash
# Gradescope runs this once, as root, to build the autograder's image; the
# zip's contents are in /autograder/source (AUTOGRADER names another root,
# for tests/run_package.sh).  It installs what the grader needs to build
# (names that Ubuntu 22.04 and 24.04 both have), then what it can do
# without, and builds the grader with warnings not taken as errors.
set -euo pipefail
cd "${AUTOGRADER:-/autograder}/source"
command -v make >/dev/null || sh tests/deps.sh make
make grader-deps
make WERROR= all
