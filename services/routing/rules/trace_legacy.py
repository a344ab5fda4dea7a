"""Traces stored before steps existed are plain English lines ("most_local: passed over X:
status is suspended"). Each is read back into its step by the English words of the table, so
it shows in Indonesian too; a line is taken only if the step, worded again in English, is the
very same line (else it stays English alone). Pure."""

from __future__ import annotations

import functools
import re

from services.routing.rules import trace_words

_CODE = r"[A-Za-z0-9][A-Za-z0-9_.-]*"
PATTERNS = {  # a value's pattern in an English line
    "agency": _CODE,
    "by": _CODE,
    "target": _CODE,
    "proposed": _CODE,
    "duplicate_of": _CODE,
    "rule": r"\w+",
    "username": r"[^()]+?",
    "category": r"\S+",
    "region": r"\S*",
    "place": r".+?",
    "level": r"\w+",
    "best_level": r"\w+",
    "match": r"[\w -]+?",
    "status": r"\w+",
    "count": r"\d+",
    "days": r"\d+",
    "reason": r".+",
}
_ENGLISH = 1


def _back(table: dict) -> dict:
    return {words[_ENGLISH]: value for value, words in table.items()}


VALUES = {  # English words -> the value a step keeps
    "rule": _back(trace_words.RULE_WORDS),
    "level": _back(trace_words.LEVEL_WORDS),
    "best_level": _back(trace_words.LEVEL_WORDS),
    "match": _back(trace_words.MATCH_WORDS),
    "status": _back(trace_words.STATUS_WORDS),
    "place": {trace_words.THE_LOCATION[_ENGLISH]: ""},
}


def _regex(template: str) -> str:
    out, seen = [], set()
    for literal, name in re.findall(r"([^{]*)(?:\{(\w+)\})?", template):
        out.append(re.escape(literal))
        if name:
            group = name if name not in seen else None
            seen.add(name)
            out.append(f"(?P<{group}>{PATTERNS[name]})" if group else f"(?P={name})")
    return "".join(out)


@functools.cache
def _patterns() -> list[tuple[re.Pattern, dict]]:
    """(regex, fixed values) for each step, each reason and each way of naming an agency."""
    found = []
    for code, words in trace_words.STEPS.items():
        english = words[_ENGLISH]
        whys = trace_words.REASONS.items() if "{why}" in english else [(None, None)]
        for why, why_words in whys:
            text = english if why is None else english.replace("{why}", why_words[_ENGLISH])
            namings = ["reporter", "suggested"] if "{named_by}" in text else [None]
            for named in namings:
                line = text
                if named:
                    line = text.replace("{named_by}", trace_words.NAMED_BY[named][_ENGLISH])
                fixed = {"step": code, **({"why": why} if why else {})}
                if named == "reporter" or (named is None and code in _WITH_BY):
                    fixed["by"] = None
                literal = len(re.sub(r"\{\w+\}", "", line))
                found.append((literal, re.compile(_regex(line)), fixed))
    # the most words first: "archived …, duplicate of X" before "archived …: {reason}"
    return [(pattern, fixed) for _, pattern, fixed in sorted(found, key=lambda f: -f[0])]


_WITH_BY = ("chose_named", "passed_over_named")


def parse(line: str) -> dict | None:
    """The step an old English line says, or None if no step says it exactly."""
    for pattern, fixed in _patterns():
        found = pattern.fullmatch(line)
        if not found:
            continue
        step = {**fixed}
        for name, value in found.groupdict().items():
            if name in VALUES:
                if value not in VALUES[name]:
                    break
                value = VALUES[name][value]
            elif name in ("count", "days"):
                value = int(value)
            step[name] = value
        else:
            if trace_words.render(step, "en") == line:
                return step
    return None
