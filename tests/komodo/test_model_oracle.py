"""The model agrees with the shared per-version field oracles.

``../shared/komodo/fields/<version>.json`` describe every TOML key Komodo
accepts in each supported release. They are test oracles only: the package
never reads them.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest

from komodo_guard.komodo.model import FieldSpec, KomodoModel, load

FIELDS_DIR = Path(__file__).resolve().parents[2].parent / "shared" / "komodo" / "fields"
VERSION_FILES: list[Path] = (
    sorted(FIELDS_DIR.glob("*.json")) if FIELDS_DIR.is_dir() else []
)
NO_CONFIG_KINDS = ("user_group", "variable")
# Enums whose value order legitimately differs between releases.
UNORDERED_ENUMS = frozenset({"ExecutionVariant"})

Json = dict[str, Any]


def _oracle(path: Path) -> Json:
    data: Json = json.loads(path.read_text(encoding="utf-8"))
    return data


# One oracle per version; a single ``None`` (skipped) when ../shared is missing.
ORACLE_PARAMS: list[Path | None] = [*VERSION_FILES] or [None]


@pytest.fixture(params=ORACLE_PARAMS, ids=lambda p: p.stem if p else "none")
def oracle(request: pytest.FixtureRequest) -> Json:
    if request.param is None:
        pytest.skip(f"../shared/komodo is missing: no field oracles in {FIELDS_DIR}")
    return _oracle(request.param)


class Report:
    """Collects disagreements as readable lines."""

    def __init__(self) -> None:
        self.lines: list[str] = []

    def check(self, where: str, what: str, ours: object, theirs: object) -> None:
        if ours != theirs:
            self.lines.append(f"{where}: {what} is {ours!r}, oracle says {theirs!r}")

    def keys(
        self, where: str, ours: Mapping[str, Any], theirs: Mapping[str, Any]
    ) -> None:
        missing, extra = set(theirs) - set(ours), set(ours) - set(theirs)
        if missing:
            self.lines.append(f"{where}: model lacks {sorted(missing)}")
        if extra:
            self.lines.append(f"{where}: model has extra {sorted(extra)}")

    def assert_clean(self, version: str) -> None:
        assert not self.lines, f"Komodo {version} disagreements:\n" + "\n".join(
            self.lines
        )


def _plain(value: object) -> object:
    """JSON-comparable form of a default (tuples as lists, mappings as dicts)."""
    if isinstance(value, Mapping):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    return value


def _compare_field(
    report: Report, where: str, spec: FieldSpec, js: Json, model: KomodoModel
) -> None:
    report.check(where, "type", spec.type.value, js["type"])
    if "default" in js and not js.get("default_elided"):
        report.check(where, "default", _plain(spec.default), js["default"])
    if "aliases" in js:
        report.check(where, "aliases", list(spec.aliases), js["aliases"])
    report.check(where, "required", spec.required, js.get("required", False))
    if "ref" in js:
        ref = js["ref"]
        report.check(
            where, "ref", spec.ref, "|".join(ref) if isinstance(ref, list) else ref
        )
        report.check(where, "ref_by", spec.ref_by, js.get("ref_by"))
    if "path" in js:
        report.check(where, "path", spec.path, js["path"])
    if "since" in js:
        report.check(where, "since", _text(spec.since), js["since"])
    report.check(where, "items", spec.items and spec.items.value, js.get("items"))
    report.check(where, "multiline", spec.multiline, js.get("multiline", False))
    if "export_name" in js:
        report.check(where, "display_name", spec.display_name, js["export_name"])
    _compare_enum(report, where, spec, js, model)
    _compare_nested(report, where, spec, js, model)


def _text(value: object) -> str | None:
    return None if value is None else str(value)


def _compare_enum(
    report: Report, where: str, spec: FieldSpec, js: Json, model: KomodoModel
) -> None:
    if js.get("variants_ref") == "executions":
        report.check(where, "enum", spec.enum, "Execution")
        return
    if "enum_name" in js:
        report.check(where, "enum", spec.enum, js["enum_name"])
    if "enum" in js:
        values = model.enums.get(spec.enum or "", ())
        report.check(where, f"values of enum {spec.enum}", list(values), js["enum"])


def _compare_nested(
    report: Report, where: str, spec: FieldSpec, js: Json, model: KomodoModel
) -> None:
    if isinstance(js.get("item"), dict):
        _compare_fields(report, where, spec.fields or {}, js["item"], model)
    elif spec.fields is not None:
        report.lines.append(f"{where}: model has nested fields, oracle has none")
    if js.get("variants_ref") == "executions":
        report.keys(f"{where} variants", spec.variants or {}, model.executions)
    elif isinstance(js.get("variants"), dict):
        _compare_variants(report, where, spec, js, model)
    if js["type"] == "tagged_enum" or js.get("items") == "tagged_enum":
        report.check(where, "tag", spec.tag, js.get("tag", "type"))
        report.check(where, "content", spec.content, js.get("content", "params"))
    if js["type"] == "map":
        report.check(where, "key enum", spec.key_enum, js["key"].get("enum_name"))
        if spec.value is None:
            report.lines.append(f"{where}: map without a value spec")
        else:
            _compare_field(report, f"{where}{{}}", spec.value, js["value"], model)


def _compare_variants(
    report: Report, where: str, spec: FieldSpec, js: Json, model: KomodoModel
) -> None:
    ours = spec.variants or {}
    report.keys(f"{where} variants", ours, js["variants"])
    for name, variant in js["variants"].items():
        if name not in ours:
            continue
        if "item" in variant:
            _compare_fields(
                report, f"{where}<{name}>", ours[name], variant["item"], model
            )
        else:
            report.check(
                f"{where}<{name}>",
                "content type",
                spec.content_type.value,
                variant["type"],
            )


def _compare_fields(
    report: Report,
    where: str,
    ours: Mapping[str, FieldSpec],
    theirs: Json,
    model: KomodoModel,
) -> None:
    report.keys(where, ours, theirs)
    for name, js in theirs.items():
        if name in ours:
            _compare_field(report, f"{where}.{name}", ours[name], js, model)


def test_kinds_and_fields(oracle: Json) -> None:
    model = load(oracle["komodo_version"])
    report = Report()
    report.check("model", "version", str(model.version), oracle["komodo_version"])
    report.check("model", "toml_spec", model.toml_spec, oracle["toml_spec"])
    report.keys("kinds", model.kinds, oracle["top_level"])
    for name, top in oracle["top_level"].items():
        kind = model.kinds.get(name)
        if kind is None:
            continue
        report.check(name, "plural", [kind.plural], top["aliases"])
        report.check(
            name, "kind for plural", model.kind_for_table(top["serde_name"]), kind
        )
        report.check(name, "has_config", kind.has_config, name not in NO_CONFIG_KINDS)
        fields = (
            oracle[name]
            if name in NO_CONFIG_KINDS
            else oracle["resources"][name]["config"]
        )
        _compare_fields(report, name, kind.fields, fields, model)
    common = {k: v for k, v in oracle["common_fields"].items() if k != "config"}
    _compare_fields(report, "common", model.common_fields, common, model)
    report.assert_clean(oracle["komodo_version"])


def test_executions(oracle: Json) -> None:
    model = load(oracle["komodo_version"])
    report = Report()
    report.keys("executions", model.executions, oracle["executions"])
    for name, js in oracle["executions"].items():
        execution = model.executions.get(name)
        if execution is None:
            continue
        report.check(name, "batch", execution.batch, js["batch"])
        report.check(name, "since", _text(execution.since), js["since"])
        _compare_fields(report, name, execution.params, js["params"], model)
    report.assert_clean(oracle["komodo_version"])


def test_enums_and_alert_types(oracle: Json) -> None:
    model = load(oracle["komodo_version"])
    report = Report()
    report.keys("enums", model.enums, oracle["enums"])
    for name, values in oracle["enums"].items():
        ours = list(model.enums.get(name, ()))
        if name in UNORDERED_ENUMS:
            report.check(name, "values", sorted(ours), sorted(values))
        else:
            report.check(name, "values", ours, values)
    report.check(
        "enum_aliases", "mapping", _plain(model.enum_aliases), oracle["enum_aliases"]
    )
    report.check(
        "enum_defaults", "mapping", _plain(model.enum_defaults), oracle["enum_defaults"]
    )
    report.check(
        "alert_types", "values", list(model.alert_types), oracle["alert_types"]
    )
    report.assert_clean(oracle["komodo_version"])
