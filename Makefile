# ream — the two commands a newcomer needs are `make demo` and `make test` (see README.md).
SHELL := /bin/bash
.DEFAULT_GOAL := build
NPM_STAMP := node_modules/.package-lock.json

# Debian packages the tests run against (installed by `make test` when run as root), and the extra
# ones the benchmarks compare with. Each entry is command:package.
TEST_TOOLS := pdftotext:poppler-utils promtool:prometheus prometheus-pushgateway:prometheus-pushgateway \
  prometheus-node-exporter:prometheus-node-exporter parallel:parallel sshd:openssh-server ssh:openssh-client \
  /usr/bin/time:time /usr/share/poppler/cMap:poppler-data rsync:rsync
BENCH_TOOLS := jq:jq mlr:miller mutool:mupdf-tools hyperfine:hyperfine sqlite3:sqlite3 recollindex:recollcmd

.PHONY: build install test demo bench clean typecheck deb-test deb-bench

$(NPM_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund
	@touch $@

install: $(NPM_STAMP)

build: install
	node build.mjs

typecheck: install
	npx tsc --noEmit

# Installs the Debian packages whose commands are missing (only as root; otherwise says what is missing).
deb-test:
	@scripts/ensure-debs.sh $(TEST_TOOLS)
deb-bench:
	@scripts/ensure-debs.sh $(TEST_TOOLS) $(BENCH_TOOLS)

test: install deb-test build typecheck
	@status=0; npx vitest run --reporter=default --reporter=json --outputFile.json=.vitest-results.json || status=$$?; \
	  node scripts/test-summary.mjs .vitest-results.json; exit $$status

demo: build
	@scripts/demo.sh $(if $(PDFS),"$(PDFS)")

bench: build deb-bench
	bench/run.sh

clean:
	rm -rf dist demo/out bench/data
