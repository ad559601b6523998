"""The part of the SARIF 2.1.0 schema that komodo-guard's output uses, written by
hand from the OASIS specification (no copy of the schema is installed here and
tests use no network). Objects are closed (``additionalProperties: false``) as in
the official schema, so a misspelt property fails the test."""

from __future__ import annotations

import re
from typing import Any

_TEXT = {
    "type": "object",
    "required": ["text"],
    "properties": {"text": {"type": "string"}, "markdown": {"type": "string"}},
    "additionalProperties": False,
}
_LEVEL = {"enum": ["none", "note", "warning", "error"]}
_POSITIVE = {"type": "integer", "minimum": 1}
_PROPERTY_BAG = {
    "type": "object",
    "properties": {
        "tags": {"type": "array", "items": {"type": "string"}, "uniqueItems": True}
    },
}
_ARTIFACT_LOCATION = {
    "type": "object",
    "properties": {
        "uri": {"type": "string", "format": "uri-reference"},
        "uriBaseId": {"type": "string"},
        "description": _TEXT,
    },
    "additionalProperties": False,
}
_REGION = {
    "type": "object",
    "properties": dict.fromkeys(
        ("startLine", "startColumn", "endLine", "endColumn"), _POSITIVE
    ),
    "additionalProperties": False,
}
_LOCATION = {
    "type": "object",
    "properties": {
        "physicalLocation": {
            "type": "object",
            "anyOf": [{"required": ["artifactLocation"]}, {"required": ["address"]}],
            "properties": {
                "artifactLocation": _ARTIFACT_LOCATION,
                "region": _REGION,
                "properties": {"type": "object"},
            },
            "additionalProperties": False,
        },
        "logicalLocations": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    k: {"type": "string"}
                    for k in ("name", "fullyQualifiedName", "kind")
                },
                "additionalProperties": False,
            },
        },
    },
    "additionalProperties": False,
}
_DESCRIPTOR = {
    "type": "object",
    "required": ["id"],
    "properties": {
        "id": {"type": "string"},
        "name": {"type": "string"},
        "shortDescription": _TEXT,
        "fullDescription": _TEXT,
        "help": _TEXT,
        "defaultConfiguration": {
            "type": "object",
            "properties": {"level": _LEVEL},
            "additionalProperties": False,
        },
        "properties": _PROPERTY_BAG,
    },
    "additionalProperties": False,
}
_RESULT = {
    "type": "object",
    "required": ["message"],
    "properties": {
        "ruleId": {"type": "string"},
        "ruleIndex": {"type": "integer", "minimum": -1},
        "level": _LEVEL,
        "message": {
            "type": "object",
            "anyOf": [{"required": ["text"]}, {"required": ["id"]}],
            "properties": {"text": {"type": "string"}},
            "additionalProperties": False,
        },
        "locations": {"type": "array", "items": _LOCATION},
        "suppressions": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["kind"],
                "properties": {
                    "kind": {"enum": ["inSource", "external"]},
                    "justification": {"type": "string"},
                },
                "additionalProperties": False,
            },
        },
    },
    "additionalProperties": False,
}
SARIF_SUBSET: dict[str, Any] = {
    "type": "object",
    "required": ["version", "runs"],
    "properties": {
        "$schema": {"type": "string", "format": "uri"},
        "version": {"enum": ["2.1.0"]},
        "runs": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["tool"],
                "properties": {
                    "tool": {
                        "type": "object",
                        "required": ["driver"],
                        "properties": {
                            "driver": {
                                "type": "object",
                                "required": ["name"],
                                "properties": {
                                    "name": {"type": "string"},
                                    "version": {"type": "string"},
                                    "semanticVersion": {"type": "string"},
                                    "informationUri": {
                                        "type": "string",
                                        "format": "uri",
                                    },
                                    "rules": {"type": "array", "items": _DESCRIPTOR},
                                },
                                "additionalProperties": False,
                            }
                        },
                        "additionalProperties": False,
                    },
                    "invocations": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "required": ["executionSuccessful"],
                            "properties": {
                                "executionSuccessful": {"type": "boolean"},
                                "toolExecutionNotifications": {
                                    "type": "array",
                                    "items": {
                                        "type": "object",
                                        "required": ["message"],
                                        "properties": {
                                            "level": _LEVEL,
                                            "message": _TEXT,
                                        },
                                        "additionalProperties": False,
                                    },
                                },
                            },
                            "additionalProperties": False,
                        },
                    },
                    "columnKind": {"enum": ["utf16CodeUnits", "unicodeCodePoints"]},
                    "originalUriBaseIds": {
                        "type": "object",
                        "additionalProperties": _ARTIFACT_LOCATION,
                    },
                    "results": {"type": "array", "items": _RESULT},
                },
                "additionalProperties": False,
            },
        },
    },
    "additionalProperties": False,
}


_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")


def github_problems(document: dict[str, Any]) -> list[str]:
    """What GitHub code scanning refuses or cannot place, per its "SARIF
    support for code scanning" page: every result needs a location whose
    ``physicalLocation.artifactLocation.uri`` is a relative path in the
    repository (no scheme, no leading slash) and whose region has a
    ``startLine``."""
    problems = []
    for run in document["runs"]:
        for number, result in enumerate(run.get("results", [])):
            where = f"result {number} ({result.get('ruleId')})"
            locations = result.get("locations") or [{}]
            physical = locations[0].get("physicalLocation", {})
            uri = physical.get("artifactLocation", {}).get("uri", "")
            if not uri:
                problems.append(f"{where}: no physicalLocation.artifactLocation.uri")
            elif _SCHEME.match(uri) or uri.startswith("/"):
                problems.append(f"{where}: uri {uri!r} is not relative")
            if physical.get("region", {}).get("startLine", 0) < 1:
                problems.append(f"{where}: no region.startLine")
    return problems
