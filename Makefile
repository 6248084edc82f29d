# Two entry points for a fresh Debian machine with Python 3.11 (run as root):
#   make build   install everything, then build the sample into output/
#   make test    install everything, then run the tests
#   make bench   install everything, then print the performance table (benchmarks/bench.py)
PYTHON ?= python3
VENV   := .venv
APT_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-noto-cjk fonts-noto-cjk-extra \
                fonts-lxgw-wenkai fonts-arphic-ukai poppler-utils libgs-common \
                chromium chromium-driver

.PHONY: build test bench setup bytecode system-packages lint clean

build: bytecode
	$(VENV)/bin/broadsheet build

test: setup lint
	$(VENV)/bin/python -m pytest -q

bench: bytecode   # the performance table (benchmarks/bench.py; minutes, not a test)
	$(VENV)/bin/python benchmarks/bench.py

# The package's compiled modules, written once (compileall skips what is up to date).  The
# install is editable, so pip compiles nothing of it, and where PYTHONDONTWRITEBYTECODE is set
# every build process would compile every module again: some 0.25 s of CPU a process.
bytecode: setup
	$(VENV)/bin/python -m compileall -q pipeline

lint: setup
	$(VENV)/bin/ruff check pipeline tests benchmarks
	$(VENV)/bin/mypy pipeline

setup: system-packages $(VENV)/.installed

system-packages:
	@missing=""; for p in $(APT_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	done; \
	$(PYTHON) -c "import ensurepip, venv" 2>/dev/null || missing="$$missing python3-venv"; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing; \
	fi

$(VENV)/.installed: pyproject.toml
	test -x $(VENV)/bin/python || $(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install -q --disable-pip-version-check -e '.[dev]'
	touch $@

clean:
	rm -rf output
