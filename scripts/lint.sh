#!/usr/bin/env bash
# Lint the project's Python with ruff (config in pyproject.toml).
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
[ -x "$VENV_DIR/bin/ruff" ] || bash "$REPO_DIR/scripts/setup.sh"
cd "$REPO_DIR"
"$VENV_DIR/bin/ruff" check addons tests scripts
"$VENV_DIR/bin/ruff" format --check addons tests scripts
