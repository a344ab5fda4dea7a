"""Whatever an officer reads of a refusal on routing's and the registry's desks is Indonesian
first, English second (SPEC §2, "in Indonesian first"): every problem's title, every detail and
every field message written in their code, found by reading the code itself (so a new refusal
written in one language fails here), and marshmallow's own English messages on the way out."""

import ast
import importlib
import inspect
import pkgutil

import pytest
from marshmallow import Schema, fields
from werkzeug.exceptions import ImATeapot, MethodNotAllowed
from werkzeug.exceptions import NotFound as NotFoundRoute

from shared.config import ROOT
from shared.problems import InvalidInput, Problem, http_problem
from shared.web import load

PACKAGES = ("services.routing", "services.agency_registry")
BOTH = " / "


def _modules():
    for package in PACKAGES:
        for info in pkgutil.iter_modules([str(ROOT / package.replace(".", "/"))]):
            yield importlib.import_module(f"{package}.{info.name}")


def _problem_names() -> set[str]:
    names = set()
    for module in _modules():
        for name, value in vars(module).items():
            if inspect.isclass(value) and issubclass(value, Problem):
                names.add(name)
    return names | {"ValidationError"}


def _literal(node) -> str | None:
    """The text of a string literal or f-string (its literal parts), else None."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(
            part.value if isinstance(part, ast.Constant) else "{}" for part in node.values
        )
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        left, right = _literal(node.left), _literal(node.right)
        return None if left is None and right is None else (left or "") + (right or "")
    return None


def _texts_in_code():
    """(where, text) of every message given to a problem or a ValidationError in the code."""
    problems = _problem_names()
    for package in PACKAGES:
        for path in sorted((ROOT / package.replace(".", "/")).rglob("*.py")):
            tree = ast.parse(path.read_text(), str(path))
            for node in ast.walk(tree):
                if not isinstance(node, ast.Call):
                    continue
                func = node.func
                name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)
                if name not in problems:
                    continue
                where = f"{path.relative_to(ROOT)}:{node.lineno}"
                if node.args and (text := _literal(node.args[0])) is not None:
                    yield where, text
                for keyword in node.keywords:
                    for inner in ast.walk(keyword.value):
                        if isinstance(inner, ast.Dict):
                            for key, value in zip(inner.keys, inner.values, strict=True):
                                if _literal(key) == "message" and _literal(value) is not None:
                                    yield where, _literal(value)


def test_the_code_is_read_at_all():
    found = list(_texts_in_code())
    assert len(found) > 40, found  # the sweep sees the desks' refusals


@pytest.mark.parametrize(("where", "text"), list(_texts_in_code()))
def test_every_refusal_written_in_the_code_is_indonesian_then_english(where, text):
    assert BOTH in text, f"{where}: {text!r}"


@pytest.mark.parametrize("name", sorted(_problem_names() - {"ValidationError"}))
def test_every_problem_title_is_indonesian_then_english(name):
    for module in _modules():
        problem = getattr(module, name, None)
        if problem is not None:
            assert BOTH in problem.title, f"{module.__name__}.{name}: {problem.title!r}"


def test_marshmallow_english_gets_its_indonesian_half_on_every_desk():
    class Sample(Schema):
        note = fields.String(required=True)
        final = fields.Boolean()

    with pytest.raises(InvalidInput) as refused:
        load(Sample(), {"final": "mungkin", "extra": 1})
    messages = {error["field"]: error["message"] for error in refused.value.errors}
    assert messages == {
        "note": "Wajib diisi / Missing data for required field.",
        "final": "Harus true atau false / Not a valid boolean.",
        "extra": "Isian tidak dikenal / Unknown field.",
    }


@pytest.mark.parametrize(
    ("exc", "title"),
    [
        (NotFoundRoute(), "Alamat tidak ditemukan / Not Found"),
        (MethodNotAllowed(["GET"]), "Metode tidak diizinkan untuk alamat ini / Method Not Allowed"),
        (ImATeapot(), "Permintaan tidak dapat dilayani / I'm a teapot"),
    ],
)
def test_werkzeugs_own_refusals_are_indonesian_then_english(exc, title):
    problem = http_problem(exc)
    assert problem.title == title
    assert problem.detail.split(" / ")[0] == title.split(" / ")[0]
    assert problem.status == exc.code and problem.slug == exc.name.lower().replace(" ", "-")


def test_every_rule_says_why_in_indonesian_then_english():
    from services.routing.state.views import EXPLAIN

    # SPEC §7's four steps (a named or suggested agency, most local, national, coordinator)
    # and a coordinator's hand
    rules = {"named_agency", "suggested_agency", "most_local", "national", "coordinator", "manual"}
    assert set(EXPLAIN) == rules
    for rule, why in EXPLAIN.items():
        indonesian, english = why.split(" / ")
        assert indonesian and english and indonesian != english, rule
