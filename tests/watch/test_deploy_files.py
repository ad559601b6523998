"""The shipped Prometheus alerting rules and Grafana dashboard: valid, tested
with ``promtool``, and over metrics the watcher really exports."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml
from prometheus_client.parser import text_string_to_metric_families

from komodo_guard.notify.failing import ChannelHealth
from komodo_guard.rules.interface import ResourceRef
from komodo_guard.watch.metrics import Metrics, update
from komodo_guard.watch.status import Heartbeat, Status
from tests.watch.helpers import EVERY, T0
from tests.watch.test_metrics import cycle, run, snapshot, tracked

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"
RULES = DEPLOY / "prometheus" / "komodo-guard.rules.yml"
RULE_TESTS = DEPLOY / "prometheus" / "komodo-guard.rules.test.yml"
DASHBOARD = DEPLOY / "grafana" / "komodo-guard.json"

PROMQL_WORDS = frozenset(
    {"by", "without", "on", "ignoring", "group_left", "group_right", "and", "or"}
    | {"unless", "bool", "offset"}
)
_STRINGS = re.compile(r'"(?:[^"\\]|\\.)*"')
_MATCHERS = re.compile(r"\{[^}]*\}")
_RANGES = re.compile(r"\[[^\]]*\]")
_GROUPING = re.compile(r"\b(?:by|without|on|ignoring)\s*\([^)]*\)")
_WORD = re.compile(r"[A-Za-z_:][A-Za-z0-9_:]*")
_NUMBER = re.compile(r"\b\d+(?:\.\d+)?[smhdwy]?\b")
_LABEL_VALUES = re.compile(r"label_values\(\s*([^,)]+)")


def exported() -> set[str]:
    """Every metric family the registry exports, with every series set."""
    metrics = Metrics()
    status = Status(
        interval=EVERY,
        findings=(
            tracked(
                "KG1001", "sync-pending", resource=ResourceRef("resource_sync", "a")
            ),
            tracked("KG1008", "stack-behind-git", resource=ResourceRef("stack", "web")),
        ),
        cycles=(cycle(T0),),
        channels=(ChannelHealth("ntfy", None, 1, None, 1, 0, 0, None, None),),
        heartbeat=Heartbeat(T0),
    )
    updates = [run("DeployStack", T0), run("RunSync", T0, success=False)]
    update(metrics, status, snapshot(updates), T0 + EVERY)
    text = metrics.exposition().decode()
    families = list(text_string_to_metric_families(text))
    assert all(family.samples for family in families), "set every series here"
    return {family.name for family in families}


def metric_names(expr: str) -> set[str]:
    """The metric names an expression reads (not functions, labels or keywords)."""
    bare = _STRINGS.sub("", expr)
    bare = _MATCHERS.sub("", bare)
    bare = _RANGES.sub("", bare)
    bare = _GROUPING.sub("", bare)
    bare = _NUMBER.sub("", bare)
    names = set()
    for word in _WORD.finditer(bare):
        calls = bare[word.end() :].lstrip().startswith("(")
        if not calls and word.group() not in PROMQL_WORDS:
            names.add(word.group())
    return names


def test_metric_names_reads_names_only() -> None:
    expr = 'sum by (severity) (rate(a_total{x="b c"}[5m])) > 3 * on(job) b_seconds'
    assert metric_names(expr) == {"a_total", "b_seconds"}


def rules() -> list[dict[str, Any]]:
    data = yaml.safe_load(RULES.read_text(encoding="utf-8"))
    return [rule for group in data["groups"] for rule in group["rules"]]


def test_each_alert_has_for_severity_and_annotations() -> None:
    alerts = rules()
    assert {rule["alert"] for rule in alerts} >= {
        "KomodoGuardSyncPending",
        "KomodoGuardStackBehindGit",
        "KomodoGuardWatcherStale",
        "KomodoGuardWatcherAbsent",
        "KomodoGuardCycleFailing",
        "KomodoGuardChannelFailing",
        "KomodoGuardFailedExecutionsRising",
    }
    for rule in alerts:
        assert rule["for"], rule["alert"]
        assert rule["labels"]["severity"] in ("warning", "critical"), rule["alert"]
        assert rule["annotations"]["summary"], rule["alert"]
        assert rule["annotations"]["description"], rule["alert"]


def test_alerts_read_only_exported_metrics() -> None:
    known = exported()
    for rule in rules():
        names = metric_names(rule["expr"])
        assert names, rule["alert"]
        assert names <= known, (rule["alert"], names - known)


@pytest.fixture
def promtool() -> str:
    found = shutil.which("promtool")
    if found is None:
        pytest.skip(
            "promtool is not installed: run `bash .ci/system-packages` (Debian's "
            "prometheus package) to check the alerting rules"
        )
    return found


def test_promtool_checks_the_rules(promtool: str) -> None:
    done = subprocess.run(
        [promtool, "check", "rules", str(RULES)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert f"SUCCESS: {len(rules())} rules found" in done.stdout


def test_promtool_unit_tests_fire_the_alerts(promtool: str) -> None:
    tests = yaml.safe_load(RULE_TESTS.read_text(encoding="utf-8"))["tests"]
    firing = {
        case["alertname"]
        for test in tests
        for case in test["alert_rule_test"]
        if case["exp_alerts"]
    }
    assert len(firing) >= 2
    done = subprocess.run(
        [promtool, "test", "rules", RULE_TESTS.name],
        cwd=RULE_TESTS.parent,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "SUCCESS" in done.stdout


def dashboard() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(DASHBOARD.read_text(encoding="utf-8"))
    return data


def panels(data: dict[str, Any]) -> list[dict[str, Any]]:
    found = []
    for panel in data["panels"]:
        found.append(panel)
        found.extend(panel.get("panels", []))
    return [panel for panel in found if panel["type"] != "row"]


def test_the_dashboard_is_importable() -> None:
    data = dashboard()
    assert data["schemaVersion"] >= 39
    assert data["uid"] == "komodo-guard-watch"
    assert [entry["name"] for entry in data["__inputs"]] == ["DS_PROMETHEUS"]
    ids = [panel["id"] for panel in data["panels"]]
    assert len(ids) == len(set(ids))
    for panel in panels(data):
        assert panel["datasource"]["uid"] == "${DS_PROMETHEUS}", panel["title"]
        assert panel["targets"], panel["title"]
        for target in panel["targets"]:
            assert target["datasource"]["uid"] == "${DS_PROMETHEUS}"
        assert set(panel["gridPos"]) == {"h", "w", "x", "y"}
        assert panel["gridPos"]["x"] + panel["gridPos"]["w"] <= 24


def test_the_dashboard_reads_every_exported_metric_and_nothing_else() -> None:
    known = exported()
    data = dashboard()
    used: set[str] = set()
    expressions = [
        target["expr"] for panel in panels(data) for target in panel["targets"]
    ]
    for variable in data["templating"]["list"]:
        query = _LABEL_VALUES.match(variable["definition"])
        assert query is not None, variable["name"]
        expressions.append(query.group(1))
    for expr in expressions:
        names = metric_names(expr)
        assert names <= known, (expr, names - known)
        used |= names
    assert used == known
