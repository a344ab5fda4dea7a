"""Service configuration: each service's ``config.yml`` with ``${VAR:default}`` values.

Nameko expands ``${VAR:default}`` itself when a service runs under ``nameko run``; the
helpers here give the CLI, the launcher and the tests the same expansion.
"""

from __future__ import annotations

from pathlib import Path

import yaml
from nameko.cli.main import setup_yaml_parser

ROOT = Path(__file__).resolve().parents[1]

setup_yaml_parser()


def config_path(service: str) -> Path:
    return ROOT / "services" / service / "config.yml"


def load_config(service: str, **overrides) -> dict:
    """The service's config.yml with environment variables expanded, then ``overrides``."""
    with open(config_path(service)) as handle:
        config = yaml.safe_load(handle)
    config.update(overrides)
    return config
