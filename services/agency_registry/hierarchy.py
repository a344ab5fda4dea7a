"""The agency tree as materialised paths: ``/KEMENPANRB/PROV-73/KAB-73-11/``.

Every agency stores the codes from the root down to itself, so its ancestors are read from its
own row and its subtree is every path with its path as a prefix: one index range scan
(``path >= '/A/B/' AND path < '/A/B0'``: no character sorts between '/' and '0'). Pure.
"""

from __future__ import annotations

import re

from shared.agencies import GOVERNMENT_KINDS as GOVERNMENT_KINDS  # the one list

ROOT_PATH = "/"
CODE_PATTERN = re.compile(r"[A-Z0-9]+(-[A-Z0-9]+)*")
MAX_CODE_LENGTH = 64


def path_of(parent_path: str | None, code: str) -> str:
    return f"{parent_path or ROOT_PATH}{code}/"


def codes(path: str) -> list[str]:
    """'/A/B/C/' → ['A', 'B', 'C'], the root first."""
    return [part for part in path.split("/") if part]


def depth(path: str) -> int:
    return path.count("/") - 1


def subtree_range(path: str) -> tuple[str, str]:
    """[low, high) bounds of every path in the subtree rooted at ``path`` (itself included)."""
    return path, path[:-1] + "0"


def within(path: str, scope_path: str) -> bool:
    """True if the agency at ``path`` is ``scope_path``'s agency or below it."""
    return path.startswith(scope_path)


def is_valid_code(code: str) -> bool:
    return len(code) <= MAX_CODE_LENGTH and CODE_PATTERN.fullmatch(code) is not None


def would_cycle(agency_path: str, new_parent_path: str) -> bool:
    """Moving the agency at ``agency_path`` under ``new_parent_path`` would put it below itself."""
    return within(new_parent_path, agency_path)


def moved(path: str, old_prefix: str, new_prefix: str) -> str:
    """The path of an agency in a subtree that moved from ``old_prefix`` to ``new_prefix``."""
    if not path.startswith(old_prefix):
        raise ValueError(f"{path} is not in the subtree {old_prefix}")
    return new_prefix + path[len(old_prefix) :]
