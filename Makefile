# Yiwu Union portal. Two commands: `make run` and `make test` (see README.md).
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
HOST ?= 127.0.0.1
PORT ?= 8000
VENDOR := static/vendor

.PHONY: run test venv test-deps assets migrate demo check-deploy bench backup restore audit cluster soak clean

## make run: install, migrate, load the honour rolls and demo accounts, serve on :8000
run: venv assets
	DEBUG=true $(PY) manage.py migrate --noinput
	DEBUG=true $(PY) manage.py loaddata honour_rolls
	DEBUG=true $(PY) manage.py seed_demo
	DEBUG=true HOST=$(HOST) PORT=$(PORT) $(PY) manage.py runserver $(HOST):$(PORT)

## make test: the whole suite on PostgreSQL, browser tests in Chromium
test: test-deps assets
	bash scripts/test.sh $(ARGS)

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.runtime-installed: requirements.txt | $(PY)
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.test-installed: requirements.txt requirements-test.txt $(VENV)/.runtime-installed
	$(BIN)/pip install --quiet -r requirements-test.txt
	touch $@

venv: $(VENV)/.runtime-installed
test-deps: $(VENV)/.test-installed

# Front-end libraries from the npm registry (package-lock.json); only the files used are copied.
node_modules/.package-lock.json: package.json package-lock.json
	@command -v npm >/dev/null || bash scripts/need.sh npm
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

$(VENDOR)/.copied: node_modules/.package-lock.json
	rm -rf $(VENDOR)
	mkdir -p $(VENDOR)/bootstrap/css $(VENDOR)/bootstrap/js $(VENDOR)/bootstrap-icons/font $(VENDOR)/echarts $(VENDOR)/trix
	cp node_modules/bootstrap/dist/css/bootstrap.min.css node_modules/bootstrap/dist/css/bootstrap.min.css.map $(VENDOR)/bootstrap/css/
	cp node_modules/bootstrap/dist/js/bootstrap.bundle.min.js node_modules/bootstrap/dist/js/bootstrap.bundle.min.js.map $(VENDOR)/bootstrap/js/
	cp -r node_modules/bootstrap-icons/font/bootstrap-icons.min.css node_modules/bootstrap-icons/font/fonts $(VENDOR)/bootstrap-icons/font/
	cp node_modules/echarts/dist/echarts.min.js $(VENDOR)/echarts/
	cp node_modules/trix/dist/trix.umd.min.js node_modules/trix/dist/trix.umd.min.js.map node_modules/trix/dist/trix.css $(VENDOR)/trix/
	touch $@

assets: $(VENDOR)/.copied

# What it checks: Django's deployment settings with production values (HTTPS, cookies, HSTS,
# secret key, CSP, the SMS backend), failing on any warning. Then, only when DATABASE_URL names
# a database, the checks that read data (workdays.W001: next year's official calendar), which
# warn without failing: they say what staff must do, not that the deployment is wrong.
check-deploy: venv assets
	DEBUG=false SECRET_KEY=$$(head -c 48 /dev/urandom | base64) ALLOWED_HOSTS=union.example.cn \
	  $(PY) manage.py check --deploy --fail-level WARNING
	@if [ -n "$$DATABASE_URL" ]; then \
	  echo "Data checks against $${DATABASE_URL%%@*}@…:"; \
	  DEBUG=false SECRET_KEY=x$$(head -c 48 /dev/urandom | base64) ALLOWED_HOSTS=union.example.cn \
	    $(PY) manage.py check --database default; \
	else echo "DATABASE_URL not set: the data checks (workdays.W001, next year's calendar) were not run."; fi

## make bench: the portal under load at 1,000,000 members beside its references (bench/README.md)
## make bench MEMBERS=20000: the same, small
bench: test-deps assets
	$(if $(MEMBERS),BENCH_MEMBERS=$(MEMBERS) )bash scripts/bench.sh

## make backup: database (pg_dump -Fc) and media (tar) into backups/yiwu-<date>/ with a manifest
## make restore FROM=backups/yiwu-<date>: into DATABASE_URL and MEDIA_ROOT, checked against it
backup: venv
	bash scripts/backup.sh

restore: venv
	bash scripts/restore.sh $(FROM)

## make audit: pinned Python dependencies against the PyPI/OSV advisories (needs those APIs)
audit: test-deps
	$(BIN)/pip install --quiet pip-audit==2.10.1
	$(BIN)/pip-audit --strict --progress-spinner off -r requirements.txt -r requirements-test.txt


## make cluster: on loopback, PostgreSQL with a streaming replica, Redis, two gunicorn app servers,
## a Celery worker and beat, nginx; then a member journey across them (docs/deploy.md)
## make cluster CLUSTER_KEEP=1: leave it running afterwards
cluster: test-deps assets
	bash scripts/cluster/run.sh

## make soak: 10 minutes of mixed load on a fresh cluster (bench/soak.py; SOAK_SECONDS=120 for less)
soak: test-deps assets
	.venv/bin/python bench/soak.py

clean:
	rm -rf $(VENV) node_modules $(VENDOR) staticfiles
