"""deploy/prometheus and deploy/grafana: valid for promtool, alert rules unit-tested, and every
metric they use is one the services (or RabbitMQ) export."""

import ast
import json
import re
import subprocess

import pytest
import yaml
from prometheus_client import REGISTRY

from services import SERVICES
from shared import metrics  # noqa: F401  (defines every satupintu_* metric)
from shared.config import ROOT, config_path

PROMETHEUS = ROOT / "deploy/prometheus"
OURS = {family.name for family in REGISTRY.collect() if family.name.startswith("satupintu_")}


@pytest.mark.parametrize(
    "args",
    [
        ["check", "config", "prometheus.yml"],
        ["check", "rules", "alerts.yml"],
        ["test", "rules", "alerts_test.yml"],
    ],
)
def test_promtool_accepts_it(args):
    result = subprocess.run(["promtool", *args], cwd=PROMETHEUS, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_every_service_is_scraped_on_its_configured_port():
    config = yaml.safe_load((PROMETHEUS / "prometheus.yml").read_text())
    targets = {
        job["job_name"]: job["static_configs"][0]["targets"] for job in config["scrape_configs"]
    }
    for service in SERVICES:
        port = re.search(
            r"WEB_SERVER_ADDRESS: \$\{\w+:[\d.]+:(\d+)\}", config_path(service).read_text()
        )[1]
        assert targets[f"satupintu-{service}"] == [f"{service}:{port}"]
    assert "rabbitmq" in targets


def metric_names(expr: str) -> set[str]:
    return {
        name.removesuffix("_bucket") for name in re.findall(r"\b(satupintu_\w+|rabbitmq_\w+)", expr)
    }


def test_rules_and_dashboard_use_only_metrics_that_exist():
    rules = yaml.safe_load((PROMETHEUS / "alerts.yml").read_text())
    exprs = [rule["expr"] for group in rules["groups"] for rule in group["rules"]]
    dashboard = json.loads((ROOT / "deploy/grafana/satupintu-ops.json").read_text())
    exprs += [target["expr"] for panel in dashboard["panels"] for target in panel["targets"]]
    used = set().union(*(metric_names(expr) for expr in exprs))
    # counters are collected without their _total suffix
    assert {name.removesuffix("_total") for name in used if name.startswith("satupintu_")} <= OURS
    assert len(dashboard["panels"]) >= 8


def _metric_names() -> list[str]:
    tree = ast.parse((ROOT / "shared" / "metrics.py").read_text())
    return [
        node.targets[0].id
        for node in tree.body
        if isinstance(node, ast.Assign)
        and isinstance(node.value, ast.Call)
        and getattr(node.value.func, "id", None) in ("Counter", "Gauge", "Histogram", "Summary")
    ]


def test_each_business_metric_has_one_owning_service():
    """A figure set by two services from different data contradicts itself on a dashboard."""
    owners: dict[str, set[str]] = {name: set() for name in _metric_names()}
    assert "REPORTS_OVERDUE" in owners
    for path in (ROOT / "services").rglob("*.py"):
        text = path.read_text()
        for name in owners:
            if re.search(rf"\bmetrics\.{name}\b", text):
                owners[name].add(path.relative_to(ROOT / "services").parts[0])
    shared_by = {name: sorted(services) for name, services in owners.items() if len(services) > 1}
    assert shared_by == {}
    assert owners["REPORTS_OVERDUE"] == {"reporting"}
