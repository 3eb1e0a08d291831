#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The repository is self-contained: no build, test, benchmark or script file refers to the shared
# data folder the project was started beside (a user's clone has nothing beside it). Every data
# file a test or benchmark reads lives in tests/data/ or bench/data/ (SOURCES.md there).
# Documentation may cite the specification; code may not read it.
set -euo pipefail
cd "$(dirname "$0")/.."
pat='\.\./shared|/work/shared|NSGNIC_SHARED'
hits="$(git ls-files -- ':!*.md' ':!tests/data/**' ':!bench/data/**' ':!tests/selfcontained.sh' 2>/dev/null \
        | xargs -r grep -nIE "$pat" -- 2>/dev/null || true)"
if [ -z "$(git ls-files 2>/dev/null | head -1)" ]; then
  # Not a git checkout (a copied tree): scan the files themselves.
  hits="$(grep -rnIE "$pat" --exclude='*.md' --exclude-dir=.git --exclude-dir='build*' \
          --exclude-dir=data --exclude=selfcontained.sh . || true)"
fi
if [ -n "$hits" ]; then
  echo "selfcontained: these files refer to data outside the repository (copy it into tests/data or bench/data):" >&2
  echo "$hits" >&2
  exit 1
fi
echo "selfcontained: no reference outside the repository"
