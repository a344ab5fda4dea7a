"""``python -m shared.nameko_run ARGS`` is ``nameko run ARGS`` without eventlet's notice."""

import sys

from nameko.cli.main import main

import shared  # noqa: F401  (installs the warning filter before nameko imports eventlet)

if __name__ == "__main__":
    sys.argv = ["nameko", "run", *sys.argv[1:]]
    main()
