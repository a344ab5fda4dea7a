"""Mutation score of the pure rule modules: would the tests notice a wrong rule?

Runs cosmic-ray (PyPI) over each rule module against the unit tests that own it, in a copy of
the tracked tree (the working tree is never mutated), and prints per module how many mutants
the tests killed. A survivor is a one-token change to a rule that every test let through.

    .venv/bin/python bench/mutation.py                      # every module below
    .venv/bin/python bench/mutation.py shared/privacy.py    # one module
    .venv/bin/python bench/mutation.py --survivors          # and list what survived

Needs ``pip install cosmic-ray`` (``make mutation`` installs it).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# rule module → the unit tests that state its rules
MODULES = {
    "services/routing/rules/policy.py": ["tests/unit/routing/test_routing_policy.py"],
    "shared/privacy.py": ["tests/unit/shared/test_privacy.py"],
    "services/intake/completeness.py": ["tests/unit/intake/test_intake_completeness.py"],
    "shared/calendar.py": ["tests/unit/shared/test_calendar.py"],
    "services/intake/nik.py": ["tests/unit/intake/test_intake_nik.py"],
    "services/routing/rules/deadlines.py": ["tests/unit/routing/test_routing_deadlines.py"],
    "services/reporting/disclosure.py": ["tests/unit/reporting/test_reporting_disclosure.py"],
    "shared/lifecycle.py": ["tests/unit/shared/test_lifecycle.py"],
}
TIMEOUT = 60.0  # seconds for one mutant's test run (a mutant that loops forever is killed)


def copy_tree(target: Path) -> None:
    """The files git tracks (and untracked, not ignored ones), as they are in the working tree."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        check=True,
    ).stdout.split(b"\0")
    for name in filter(None, listed):
        source = ROOT / name.decode()
        if source.is_file():
            destination = target / name.decode()
            destination.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, destination)


def config(module: str, tests: list[str]) -> str:
    command = f"{sys.executable} -m pytest -x -q -p no:randomly {' '.join(tests)}"
    return (
        "[cosmic-ray]\n"
        f'module-path = "{module}"\n'
        f"timeout = {TIMEOUT}\n"
        "excluded-modules = []\n"
        f'test-command = "{command}"\n\n'
        "[cosmic-ray.distributor]\n"
        'name = "local"\n'
    )


def annotation_spans(source: str) -> list[tuple[tuple[int, int], tuple[int, int]]]:
    """Where type annotations are: mutating them changes nothing at run time (postponed
    evaluation), so their mutants are equivalent and are skipped rather than counted."""
    import ast

    spans = []
    for node in ast.walk(ast.parse(source)):
        annotations = []
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            arguments = node.args.posonlyargs + node.args.args + node.args.kwonlyargs
            arguments += [a for a in (node.args.vararg, node.args.kwarg) if a]
            annotations = [a.annotation for a in arguments if a.annotation] + [node.returns]
        elif isinstance(node, ast.AnnAssign):
            annotations = [node.annotation]
        for annotation in filter(None, annotations):
            spans.append(
                (
                    (annotation.lineno, annotation.col_offset),
                    (annotation.end_lineno, annotation.end_col_offset),
                )
            )
    return spans


def skip_annotations(session: Path, source: str) -> int:
    from cosmic_ray.work_db import WorkDB, use_db
    from cosmic_ray.work_item import WorkerOutcome, WorkResult

    spans = annotation_spans(source)
    skipped = 0
    with use_db(str(session), mode=WorkDB.Mode.open) as db:
        for item in list(db.pending_work_items):
            start = tuple(item.mutations[0].start_pos)
            if any(low <= start < high for low, high in spans):
                db.set_result(item.job_id, WorkResult(worker_outcome=WorkerOutcome.SKIPPED))
                skipped += 1
    return skipped


def results(session: Path, workdir: Path, env: dict) -> list[dict]:
    dumped = subprocess.run(
        ["cosmic-ray", "dump", str(session)],
        cwd=workdir,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    rows = []
    for line in dumped.splitlines():
        job, result = json.loads(line)
        if result is None or result.get("worker_outcome") == "skipped":
            continue
        mutation = job["mutations"][0]
        rows.append(
            {
                "outcome": result["test_outcome"],  # killed | survived | incompetent
                "line": mutation["start_pos"][0],
                "operator": mutation["operator_name"].split("/")[-1],
                "occurrence": mutation["occurrence"],
            }
        )
    return rows


def run(module: str, tests: list[str], workdir: Path, show_survivors: bool) -> dict | None:
    if not (workdir / module).exists() or not all((workdir / t).exists() for t in tests):
        print(f"{module:38} (not in this tree yet)")
        return None
    env = {
        **os.environ,
        "PYTHONPATH": str(workdir),
        "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}",
    }
    cfg = workdir / "mutation.toml"
    cfg.write_text(config(module, tests))
    session = workdir / f"{module.replace('/', '_')}.sqlite"
    session.unlink(missing_ok=True)
    started = time.monotonic()
    subprocess.run(["cosmic-ray", "init", str(cfg), str(session)], cwd=workdir, env=env, check=True)
    skip_annotations(session, (workdir / module).read_text())
    subprocess.run(
        ["cosmic-ray", "exec", str(cfg), str(session)],
        cwd=workdir,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    rows = results(session, workdir, env)
    killed = sum(row["outcome"] == "killed" for row in rows)
    survived = [row for row in rows if row["outcome"] == "survived"]
    competent = killed + len(survived)
    score = 100.0 * killed / competent if competent else 100.0
    print(
        f"{module:38} {len(rows):5} mutants {killed:5} killed {len(survived):4} survived "
        f"score {score:5.1f}%  ({time.monotonic() - started:.0f} s)",
        flush=True,
    )
    if show_survivors:
        source = (workdir / module).read_text().splitlines()
        for row in sorted(survived, key=lambda r: r["line"]):
            text = source[row["line"] - 1].strip() if row["line"] <= len(source) else ""
            print(f"    survived {module}:{row['line']} {row['operator']}: {text[:90]}")
    return {"module": module, "killed": killed, "survived": len(survived), "score": score}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("modules", nargs="*", help="rule modules (default: all)")
    parser.add_argument("--survivors", action="store_true", help="list surviving mutants")
    args = parser.parse_args()
    if (
        shutil.which("cosmic-ray", path=f"{Path(sys.executable).parent}:{os.environ['PATH']}")
        is None
    ):
        print("cosmic-ray is not installed: pip install cosmic-ray", file=sys.stderr)
        return 2
    chosen = args.modules or list(MODULES)
    unknown = [module for module in chosen if module not in MODULES]
    if unknown:
        print(f"not a rule module here: {', '.join(unknown)}", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="satupintu-mutation-") as folder:
        workdir = Path(folder)
        copy_tree(workdir)
        summary = [run(m, MODULES[m], workdir, args.survivors) for m in chosen]
    done = [row for row in summary if row]
    killed = sum(row["killed"] for row in done)
    total = killed + sum(row["survived"] for row in done)
    if total:
        print(f"{'all':38} {killed} of {total} killed: {100.0 * killed / total:.1f}%")
    return 0


if __name__ == "__main__":
    sys.exit(main())
