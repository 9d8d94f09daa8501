# Thin wrappers around scripts/: `make run` and `make test` are the two commands.
.PHONY: help setup run test lint bench bench-scale reset-demo i18n

help:
	@echo "make run         set up, create the demo database once, serve http://localhost:8069"
	@echo "make test        set up, lint, run every test on a throw-away database"
	@echo "make lint        ruff check + format check"
	@echo "make bench       run the benchmarks (tests tagged loyalty_benchmark), print figures"
	@echo "make bench-scale generate 1,000 shops / 1 M holders / 10 M entries and measure them"
	@echo "make reset-demo  drop the demo database and serve a new one"
	@echo "make i18n        refresh each addon's .pot and merge new terms into its fr.po"

setup:
	bash scripts/setup.sh

run:
	bash scripts/run.sh

test:
	bash scripts/test.sh

lint:
	bash scripts/lint.sh

bench:
	bash scripts/bench.sh

bench-scale:
	bash scripts/bench_scale.sh

reset-demo:
	RESET_DEMO=1 bash scripts/run.sh

i18n:
	bash scripts/i18n.sh
