#!/usr/bin/env bash
# SCAFFOLD: `make demo` — replaced by the pipelines issue (PDFs → index → search).
set -euo pipefail
echo "demo: not built yet" >&2
exit 1
