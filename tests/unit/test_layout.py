"""The layout a newcomer relies on: shared/ is a leaf, and one entry point reaches every
operator command, each living beside the service it acts on."""

from __future__ import annotations

import ast
import subprocess
import sys

from services import SERVICE_CLASSES
from shared.config import ROOT


def _imported_modules(path):
    tree = ast.parse(path.read_text(), str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.module


def test_no_module_under_shared_imports_a_service():
    offenders = [
        f"{path.relative_to(ROOT)} imports {module}"
        for path in sorted((ROOT / "shared").rglob("*.py"))
        for module in _imported_modules(path)
        if module == "services" or module.startswith("services.")
    ]
    assert offenders == []


def test_the_check_sees_an_import_of_a_service(tmp_path):
    planted = tmp_path / "planted.py"
    planted.write_text("def f():\n    from services.intake import keys\n")
    assert list(_imported_modules(planted)) == ["services.intake"]


def test_every_service_class_is_where_the_catalog_says():
    for service, target in SERVICE_CLASSES.items():
        module, cls = target.split(":")
        assert module == f"services.{service}.service"
        assert (ROOT / "services" / service / "service.py").exists()


def test_one_entry_point_lists_every_operator_command():
    answer = subprocess.run(
        [sys.executable, "-m", "services.cli", "--help"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert answer.returncode == 0, answer.stderr
    listed = answer.stdout.split("{", 1)[1].split("}", 1)[0].split(",")
    assert sorted(listed) == sorted(
        [
            "declare",
            "dead-letters",
            "broker-users",
            "run",
            "migrate",
            "revision",
            "secrets",
            "load-template",
            "create-admin",
            "open311-key",
            "sms-gateway-line",
            "backfill-duplicates",
            "deliveries",
            "rebuild-reporting",
            "import",
        ]
    )
