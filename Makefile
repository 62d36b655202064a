# reclama: two commands on a fresh machine (python3 >= 3.11 and make):
#   make demo   sets everything up and writes the demo letter for the bundled example case
#   make test   sets everything up and runs the tests
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.instalado
# Debian packages: pango/harfbuzz for WeasyPrint (harfbuzz-subset avoids a ~4x slower fallback),
# poppler-utils for pdftoppm (PNG of the letter), Liberation fonts for the letter.
SYSPKGS := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 poppler-utils fonts-liberation2 fonts-dejavu-core

.PHONY: setup sysdeps demo test bench fuzz festivos lint datos clean

setup: $(STAMP)

sysdeps:
	@missing=""; for p in $(SYSPKGS); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -z "$$missing" ]; then exit 0; fi; \
	if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	  echo "Instalando paquetes del sistema:$$missing"; \
	  apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	else \
	  echo "Aviso: faltan paquetes del sistema:$$missing (instálelos con: sudo apt-get install$$missing)"; \
	fi

$(STAMP): pyproject.toml
	@$(MAKE) --no-print-directory sysdeps
	$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "reclama necesita Python >= 3.11")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --disable-pip-version-check --upgrade pip
	$(BIN)/python -m pip install -q --disable-pip-version-check -e '.[test]'
	$(BIN)/python -m compileall -q src
	@touch $(STAMP)

demo: $(STAMP)
	$(BIN)/reclama comprobar --caso examples/caso-demo.toml --hoy 2026-11-22
	$(BIN)/reclama carta --caso examples/caso-demo.toml --hoy 2026-11-22 --formato pdf -o demo/carta-demo.pdf --forzar
	@echo "Carta de reclamación de ejemplo escrita en demo/carta-demo.pdf"

test: $(STAMP)
	$(BIN)/python -m pytest -q

fuzz: $(STAMP)
	$(BIN)/python -m pytest -q --hypothesis-profile=fuzz tests/test_properties.py tests/test_seguridad_entradas.py tests/test_seguridad_lint.py tests/test_seguridad_lote.py tests/test_habiles.py tests/test_lint.py tests/test_textlength.py

# After upgrading `holidays`: save its Spanish calendars again (reclama.habiles reads them).
festivos: $(STAMP)
	$(BIN)/python tools/festivos.py

# docs/datos.md and the columns of docs/lote.md are written from the facts' declarations.
datos: $(STAMP)
	$(BIN)/python -m reclama.cli.referencia

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

bench: $(STAMP)
	$(BIN)/python bench/run_all.py

clean:
	rm -rf $(VENV) demo build dist .pytest_cache
