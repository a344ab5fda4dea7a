"""A decision trace: each line a step code with its parameters ({"step": "passed_over",
"rule": "most_local", "agency": "X", "why": "declined"}), stored as such (JSON) and worded in
Indonesian and English in one place (trace_words). Traces stored before steps existed are
plain English strings, read back into steps where they can be (trace_legacy)."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from services.routing.rules import trace_legacy, trace_words

MAX_TRACE = 30

Names = Callable[[str], str | None]  # an agency's code -> its name, None if unknown


def step(code: str, **params) -> dict:
    """One trace line: ``code`` (a key of trace_words.STEPS) and its parameters."""
    return {"step": code, **params}


class Trace:
    """Trace lines, capped at MAX_TRACE: a report in a big region can pass over many agencies."""

    def __init__(self) -> None:
        self.lines: list[dict] = []
        self.omitted = 0

    def add(self, step: str, **params) -> None:
        if len(self.lines) < MAX_TRACE - 1:
            self.lines.append({"step": step, **params})
        else:
            self.omitted += 1

    def extend(self, lines: list[dict]) -> None:
        for line in lines:
            self.add(**line)

    def close(self) -> list[dict]:
        tail = [step("omitted", count=self.omitted)] if self.omitted else []
        return self.lines + tail


def names_in(directory) -> Names:
    """An agency's name by its code, from routing's replica of the registry."""

    def name_of(code: str) -> str | None:
        agency = directory.get(code)
        return agency.name if agency else None

    return name_of


def worded(line, names: Names | None = None) -> dict:
    """A stored line as the API gives it: {"step", "params", "id", "en"}. An old plain-string
    line is read back into its step (trace_legacy); one no step says keeps its English words
    and has no Indonesian ("id": None, "step": None)."""
    if isinstance(line, str):
        step = trace_legacy.parse(line)
        if step is None:
            return {"step": None, "params": {}, "id": None, "en": line}
        line = step
    params = {key: value for key, value in line.items() if key != "step"}
    return {
        "step": line["step"],
        "params": params,
        "id": trace_words.render(line, "id", names),
        "en": trace_words.render(line, "en", names),
    }


def english(lines: Iterable) -> list[str]:
    """The English words of each line, agencies by code (events and logs carry these)."""
    return [line if isinstance(line, str) else trace_words.render(line, "en") for line in lines]
