# Cadastre Cleaner: set-up, demo, tests, benchmark, install into QGIS, package.
#
# Works on a fresh Debian 12 machine: `make test` installs Debian's QGIS when it
# is missing (apt-get, as root or through sudo), makes .venv on the system
# interpreter (PyQGIS only exists there) and runs pytest headless.
# Targets: demo test bench install install-copy uninstall package clean distclean

SHELL := /bin/bash
.DEFAULT_GOAL := help

SYSTEM_PYTHON := /usr/bin/python3
SYSTEM_PACKAGES := python3-qgis qgis-providers qgis python3-venv xvfb
VENV := .venv
PY := $(VENV)/bin/python
# Written last by the venv recipe: as long as it is newer than requirements.txt,
# a second `make` does nothing but a dpkg-query.
STAMP := $(VENV)/.installed
# A folder holding only a `cadastre_cleaner` link to this repo, for QGIS_PLUGINPATH
# (qgis_process, `qgis` started from here).
PLUGIN_PATH_DIR := $(VENV)/qgis-plugins
# Qt aborts without a screen; tests, demo and bench never need a real one.
HEADLESS := QT_QPA_PLATFORM=offscreen
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
QGIS_PLUGINS := $(HOME)/.local/share/QGIS/QGIS3/profiles/default/python/plugins
PACKAGE_FILES := metadata.txt __init__.py __main__.py plugin.py LICENSE README.md
PACKAGE_DIRS := core ui processing_provider resources i18n
# Where `make package` writes cadastre_cleaner.zip (tests build it elsewhere).
PACKAGE_OUT ?= build
PYTEST_ARGS ?=
BENCH_ARGS ?=      # e.g. BENCH_ARGS="--sizes 100000 --suites topology,load"

.PHONY: help venv system-packages translations demo test bench install install-copy uninstall \
	package clean distclean

help:
	@echo "make demo       generate a 10 000-parcel commune, check it, fix its topology (build/demo)"
	@echo "make test       run the test suite headless"
	@echo "make bench      run the benchmark"
	@echo "(after any of these: .venv/bin/qgis_process and .venv/bin/qgis run QGIS with this checkout)"
	@echo "make install    link this folder into the default QGIS profile (install-copy: copy)"
	@echo "make package    build/cadastre_cleaner.zip for Plugins > Install from ZIP"
	@echo "make translations  collect UI strings into i18n/*.ts and compile the .qm (Qt lrelease)"
	@echo "make clean      remove build output and caches (distclean: also .venv)"

venv: $(STAMP) $(VENV)/bin/qgis_process $(VENV)/bin/qgis

# Cheap every time (dpkg-query only); apt-get runs only when something is missing.
system-packages:
	@missing=""; \
	for p in $(SYSTEM_PACKAGES); do \
		dpkg-query -W -f='$${Status}' "$$p" 2>/dev/null | grep -q "install ok installed" \
			|| missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
		echo "Installing Debian packages:$$missing"; \
		$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
		$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
			--no-install-recommends $$missing; \
	fi

# Order-only on system-packages: it always runs but never forces a reinstall.
$(STAMP): requirements.txt | system-packages
	@test -x $(PY) || $(SYSTEM_PYTHON) -m venv --system-site-packages $(VENV)
	@# numpy 2 breaks Debian's GDAL bindings: keep the interpreter's own numpy.
	$(SYSTEM_PYTHON) -c 'import numpy; print("numpy==" + numpy.__version__)' \
		> $(VENV)/constraints.txt
	$(PY) -m pip install --disable-pip-version-check -q \
		-r requirements.txt -c $(VENV)/constraints.txt
	@# `python -m cadastre_cleaner` from any directory, whatever this clone is called.
	ln -sfn "$(CURDIR)" "$$($(PY) -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')/cadastre_cleaner"
	mkdir -p $(PLUGIN_PATH_DIR)
	ln -sfn "$(CURDIR)" $(PLUGIN_PATH_DIR)/cadastre_cleaner
	touch $@

# Wrappers that run QGIS's own executables with this checkout as a plugin:
# QGIS_PLUGINPATH finds it, PYTHONPATH gives it .venv's pandas and Shapely 2.
# LD_PRELOAD: qgis and qgis_process link Debian's GEOS 3.11 into the global symbol
# scope, so the Shapely wheel's GEOS calls would land there ("WKB output dimension
# must be 2 or 3"); preloading the wheel's newer, ABI-compatible GEOS gives the whole
# process one GEOS. Both libraries: with the C library alone, its C++ calls bind to
# Debian's libgeos 3.11 (loaded earlier as QGIS's dependency) and the coverage
# functions crash ("double free or corruption").
define QGIS_WRAPPER
#!/bin/sh
# Made by `make venv`: runs $(1) with Cadastre Cleaner from $(CURDIR).
site='$(SITE_PACKAGES)'
export QGIS_PLUGINPATH='$(CURDIR)/$(PLUGIN_PATH_DIR)'$${QGIS_PLUGINPATH:+:$$QGIS_PLUGINPATH}
export PYTHONPATH="$$site$${PYTHONPATH:+:$$PYTHONPATH}"
export LD_LIBRARY_PATH="$$site/shapely.libs$${LD_LIBRARY_PATH:+:$$LD_LIBRARY_PATH}"
export LD_PRELOAD="$$(ls "$$site"/shapely.libs/libgeos-*.so* | head -n 1):$$(ls "$$site"/shapely.libs/libgeos_c-*.so* | head -n 1)"
$(2)
exec $(1) "$$@"
endef
SITE_PACKAGES = $(shell $(PY) -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')

$(VENV)/bin/qgis_process: $(STAMP) Makefile
	$(file >$@,$(call QGIS_WRAPPER,/usr/bin/qgis_process.bin,[ -n "$${DISPLAY:-}$${QT_QPA_PLATFORM:-}" ] || export QT_QPA_PLATFORM=offscreen))
	chmod +x $@

$(VENV)/bin/qgis: $(STAMP) Makefile
	$(file >$@,$(call QGIS_WRAPPER,/usr/bin/qgis,))
	chmod +x $@

demo: venv
	$(HEADLESS) $(PY) -m cadastre_cleaner sample --parcels 10000 --geometry-defects 0.005 --out build/demo
	$(HEADLESS) $(PY) -m cadastre_cleaner check \
		--parcels build/demo/commune.gpkg \
		--sheets "build/demo/commune.gpkg|layername=sheets" \
		--register build/demo/register.xlsx \
		--out build/demo/flags.gpkg \
		--report build/demo/report.xlsx
	$(HEADLESS) $(PY) -m cadastre_cleaner fix \
		--parcels build/demo/commune.gpkg \
		--sheets "build/demo/commune.gpkg|layername=sheets" \
		--out build/demo/fixed.gpkg

# PYTHONSAFEPATH: keep the current directory off sys.path, so the package is only
# ever imported as `cadastre_cleaner` (through the venv link), never as `core`.
test: venv
	$(HEADLESS) PYTHONSAFEPATH=1 $(PY) -m pytest $(PYTEST_ARGS)

bench: venv
	$(HEADLESS) $(PY) -m cadastre_cleaner.benchmarks.bench $(BENCH_ARGS)

# lrelease comes with Qt's Linguist tools; only this target needs them.
translations: venv
	@dpkg-query -W -f='$${Status}' qttools5-dev-tools 2>/dev/null | grep -q "install ok installed" || \
		$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends qttools5-dev-tools
	$(PY) scripts/update_translations.py

install:
	mkdir -p "$(QGIS_PLUGINS)"
	@if [ -e "$(QGIS_PLUGINS)/cadastre_cleaner" ] && [ ! -L "$(QGIS_PLUGINS)/cadastre_cleaner" ]; then \
		echo "$(QGIS_PLUGINS)/cadastre_cleaner is a copy: 'make uninstall' first"; exit 1; \
	fi
	ln -sfn "$(CURDIR)" "$(QGIS_PLUGINS)/cadastre_cleaner"
	@echo "Linked. Restart QGIS and enable 'Cadastre Cleaner' in Plugins > Manage and Install Plugins."

install-copy: package
	rm -rf "$(QGIS_PLUGINS)/cadastre_cleaner"
	mkdir -p "$(QGIS_PLUGINS)"
	$(SYSTEM_PYTHON) -m zipfile -e "$(PACKAGE_OUT)/cadastre_cleaner.zip" "$(QGIS_PLUGINS)"

# rm -rf on the link removes the link, never this repo.
uninstall:
	rm -rf "$(QGIS_PLUGINS)/cadastre_cleaner"

# Only what the plugin needs at run time, under a top folder `cadastre_cleaner`.
package:
	rm -rf "$(PACKAGE_OUT)/package" "$(PACKAGE_OUT)/cadastre_cleaner.zip"
	mkdir -p "$(PACKAGE_OUT)/package/cadastre_cleaner"
	cp -R $(PACKAGE_FILES) "$(PACKAGE_OUT)/package/cadastre_cleaner/"
	for d in $(PACKAGE_DIRS); do \
		if [ -d "$$d" ]; then cp -R "$$d" "$(PACKAGE_OUT)/package/cadastre_cleaner/"; fi; \
	done
	find "$(PACKAGE_OUT)/package" -name __pycache__ -prune -exec rm -rf {} +
	find "$(PACKAGE_OUT)/package" -name '*.py[co]' -delete
	cd "$(PACKAGE_OUT)/package" && $(SYSTEM_PYTHON) -m zipfile -c ../cadastre_cleaner.zip cadastre_cleaner
	rm -rf "$(PACKAGE_OUT)/package"
	@echo "$(PACKAGE_OUT)/cadastre_cleaner.zip"

# .qgis-settings is the QGIS profile pytest-qgis makes next to pytest.ini.
clean:
	rm -rf build .qgis-settings .pytest_cache
	find . -path ./$(VENV) -prune -o -name __pycache__ -type d -prune -exec rm -rf {} +

distclean: clean
	rm -rf $(VENV)
