.PHONY: check test lint bench

check: lint test

lint:
	ruff check outreach_tui sync tests bench
	ruff format --check outreach_tui sync tests bench
	mypy
	lint-imports

test:
	python -m pytest -q

bench:
	python -m bench
