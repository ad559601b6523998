import json
import re
import tomllib
from collections.abc import Iterator, Mapping
from datetime import UTC, datetime, timedelta
from importlib import resources
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import jsonschema
import pytest

from komodo_guard.cli.run import lint_tree
from komodo_guard.config import (
    KNOWN_KINDS,
    TABLE_KEYS,
    Config,
    ConfigError,
    find_config,
    load_config,
    parse_duration,
    parse_listen,
)
from komodo_guard.rules.interface import Severity
from komodo_guard.rules.references.unknown_reference import KNOWN_KEYS
from tests.conftest import TreeFactory

ROOT = Path(__file__).resolve().parents[1]


def _schema() -> dict[str, Any]:
    text = (
        resources.files("komodo_guard")
        .joinpath("schema", "komodo-guard.schema.json")
        .read_text(encoding="utf-8")
    )
    schema: dict[str, Any] = json.loads(text)
    return schema


VALIDATOR = jsonschema.Draft202012Validator(_schema())


def _error(tmp_path: Path, text: str, name: str = "config.toml") -> str:
    path = tmp_path / name
    path.write_text(text)
    with pytest.raises(ConfigError) as raised:
        load_config(path)
    return str(raised.value)


def test_defaults_without_a_file() -> None:
    config = load_config(None)
    assert config.fail_on is Severity.WARNING
    assert config.komodo_version is None
    assert config.tree_folders == {}


def test_every_key_is_read(make_tree: TreeFactory) -> None:
    root = make_tree(
        {
            "komodo-guard.toml": (
                'komodo_version = "1.17"\nfail_on = "error"\n'
                '[rules]\ndisable = ["KG004"]\nseverity = { unknown-key = "info" }\n'
                '[known]\nservers = ["Local"]\nrepos = ["homelab"]\n'
                'variables = ["TZ"]\n'
                '[tree]\nrepos = ["owner/homelab"]\n'
                'folders = { "homelab" = ".", "owner/other" = "vendor/other/" }\n'
            )
        }
    )
    config = load_config(find_config(root))
    assert config.komodo_version == "1.17"
    assert config.fail_on is Severity.ERROR
    assert config.disabled == {"KG004"}
    assert config.severities == {"KG102": Severity.INFO}
    assert config.known_servers == {"Local"}
    assert config.known_repos == {"homelab"}
    assert config.known_variables == {"TZ"}
    assert config.tree_repos == ("owner/homelab",)
    assert config.tree_folders == {"homelab": "", "owner/other": "vendor/other"}
    assert config.known_names == {("server", "Local"), ("repo", "homelab")}


def test_known_resource_names_by_kind(make_tree: TreeFactory) -> None:
    lines = [f'{key} = ["{kind}-1"]' for key, kind in KNOWN_KINDS.items()]
    root = make_tree({"komodo-guard.toml": "[known]\n" + "\n".join(lines) + "\n"})
    config = load_config(find_config(root))
    assert config.known_names == {(kind, f"{kind}-1") for kind in KNOWN_KINDS.values()}
    assert ("resource_sync", "resource_sync-1") in config.known_names
    assert config.known_servers == frozenset()


def test_known_kinds_match_the_hints_of_unknown_reference() -> None:
    listed = {key: kind for kind, key in KNOWN_KEYS.items()}
    assert listed == {"servers": "server", "repos": "repo", **KNOWN_KINDS}


def test_known_names_reach_the_rules(make_tree: TreeFactory) -> None:
    stack = '[[stack]]\nname = "app"\n[stack.config]\nswarm = "prod"\n'
    root = make_tree({"a.toml": stack})

    def codes(config: Config) -> set[str]:
        return {f.code for f in lint_tree(root, config, None).result.findings}

    assert {"KG203", "KG611"} <= codes(Config())
    known = '[known]\nswarms = ["prod"]\nalerters = ["ntfy"]\n'
    (root / "komodo-guard.toml").write_text(known)
    assert not {"KG203", "KG611"} & codes(load_config(find_config(root)))


def test_pyproject_table_is_found(make_tree: TreeFactory) -> None:
    root = make_tree({"pyproject.toml": '[tool.komodo-guard]\nfail_on = "info"\n'})
    assert load_config(find_config(root)).fail_on is Severity.INFO


def test_settings_cannot_be_changed_after_loading(tmp_path: Path) -> None:
    path = tmp_path / "komodo-guard.toml"
    path.write_text('[tree]\nfolders = { x = "a" }\n[rules.severity]\nKG102 = "info"\n')
    config = load_config(path)
    with pytest.raises(TypeError):
        config.tree_folders["y"] = "b"  # type: ignore[index]
    with pytest.raises(TypeError):
        config.severities["KG101"] = Severity.ERROR  # type: ignore[index]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('fail_on = "loud"\n', "config.toml:1:1: `fail_on` must be one of"),
        (
            '[known]\nservers = "Local"\n',
            "config.toml:2:1: `known.servers` must be an array",
        ),
        ("komodo_version = 2\n", "config.toml:1:1: `komodo_version` must be a string"),
        ("[rules\n", "config.toml:1:7: invalid TOML"),
        ("known = 3\n", "config.toml:1:1: `known` must be a table"),
        (
            '[rules]\nseverity = "info"\n',
            "config.toml:2:1: `rules.severity` must be a table",
        ),
    ],
)
def test_errors_name_file_line_and_expectation(
    tmp_path: Path, text: str, expected: str
) -> None:
    assert expected in _error(tmp_path, text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            'fail-on = "error"\n',
            "config.toml:1:1: unknown key `fail-on` at the top level; "
            "did you mean `fail_on`?",
        ),
        (
            '[rules]\ndisabled = ["KG004"]\n',
            "config.toml:2:1: unknown key `disabled` in [rules]; "
            "did you mean `disable`?",
        ),
        (
            '[known]\nservers = []\nserver = ["Local"]\n',
            "config.toml:3:1: unknown key `server` in [known]; did you mean `servers`?",
        ),
        (
            '[tree]\nfolder = { a = "b" }\n',
            "config.toml:2:1: unknown key `folder` in [tree]; did you mean `folders`?",
        ),
        (
            "[secret]\n",
            "config.toml:1:1: unknown key `secret` at the top level; did you mean "
            "`secrets`?",
        ),
        (
            'tree.folders = {}\ntree.repo = ["a/b"]\n',
            "config.toml:2:6: unknown key `repo` in [tree]; did you mean `repos`?",
        ),
    ],
)
def test_unknown_keys_are_errors_with_the_likely_key(
    tmp_path: Path, text: str, expected: str
) -> None:
    assert expected in _error(tmp_path, text)


def test_unknown_key_in_pyproject_names_the_whole_table(tmp_path: Path) -> None:
    message = _error(
        tmp_path, '[tool.komodo-guard.known]\nvariable = ["TZ"]\n', "pyproject.toml"
    )
    assert message.endswith(
        "pyproject.toml:2:1: unknown key `variable` in "
        "[tool.komodo-guard.known]; did you mean `variables`? "
        "(allowed: servers, repos, variables, alerters, stacks, deployments, "
        "builds, builders, procedures, actions, syncs, swarms)"
    )


def test_rules_are_given_by_code_in_any_case_or_by_name(tmp_path: Path) -> None:
    path = tmp_path / "komodo-guard.toml"
    path.write_text(
        '[rules]\ndisable = ["kg004", "empty-file"]\n'
        'severity = { Unknown-Key = "error", kg203 = "info" }\n'
    )
    config = load_config(path)
    assert config.disabled == {"KG004", "KG003"}
    assert config.severities == {"KG102": Severity.ERROR, "KG203": Severity.INFO}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            '[rules]\ndisable = ["KG004", "emty-file"]\n',
            "config.toml:2:21: `rules.disable[1]` names no rule: `emty-file`; "
            "did you mean `empty-file`? (`komodo-guard rules` lists them all)",
        ),
        (
            '[rules]\nseverity = { unknown-keys = "info" }\n',
            "config.toml:2:14: `rules.severity.unknown-keys` names no rule: "
            "`unknown-keys`; did you mean `unknown-key`?",
        ),
        (
            '[rules]\ndisable = ["KG 004"]\n',
            "`rules.disable[0]` names no rule: `KG 004`; did you mean `KG004`?",
        ),
        (
            '[rules]\ndisable = ["no-such-thing-at-all"]\n',
            "names no rule: `no-such-thing-at-all` (`komodo-guard rules`",
        ),
        (
            '[rules.severity]\nKG102 = "info"\nunknown-key = "error"\n',
            "config.toml:3:1: `rules.severity.unknown-key` sets the severity of "
            "KG102 a second time",
        ),
    ],
)
def test_unknown_rules_are_errors_with_the_likely_rule(
    tmp_path: Path, text: str, expected: str
) -> None:
    assert expected in _error(tmp_path, text)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ('"warn"', "must be one of error, warning, info; did you mean `warning`?"),
        ('"ERROR"', "must be one of error, warning, info; did you mean `error`?"),
        ("1", "must be one of error, warning, info"),
    ],
)
def test_severity_words_are_exact(tmp_path: Path, value: str, expected: str) -> None:
    message = _error(tmp_path, f"[rules.severity]\nKG102 = {value}\n")
    assert message.endswith(f"config.toml:2:1: `rules.severity.KG102` {expected}")


def test_komodo_version_older_than_every_model_is_refused(tmp_path: Path) -> None:
    message = _error(tmp_path, 'komodo_version = "1.0"\n')
    assert "config.toml:1:1: `komodo_version` is not usable: Komodo 1.0.0 is " in (
        message
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('repos = ["homelab"]', "`tree.repos[0]` must be a git repository such as"),
        (
            'repos = ["https://github.com/a/b"]',
            "`tree.repos[0]` must be a git repository such as `owner/name`",
        ),
        (
            'folders = { "homelab" = "/srv/homelab" }',
            '`tree.folders.homelab` must be a folder of this tree such as "." or '
            '"vendor/other", not an absolute path',
        ),
        (
            'folders = { "homelab" = "../elsewhere" }',
            "`tree.folders.homelab` must be a folder of this tree such as "
            '"." or "vendor/other", written without `..`',
        ),
        ('folders = { "homelab" = 1 }', "`tree.folders.homelab` must be a folder"),
        (
            'folders = { "https://github.com/a/b" = "." }',
            "must name a Repo resource (`homelab`) or a git repository "
            "(`owner/name`), without host, scheme or spaces",
        ),
        (
            'folders = { "Owner/App" = "a", "owner/app.git" = "b" }',
            "config.toml:2:32: `tree.folders.owner/app.git` maps `owner/app` "
            "a second time",
        ),
    ],
)
def test_tree_values_are_checked(tmp_path: Path, text: str, expected: str) -> None:
    assert expected in _error(tmp_path, f"[tree]\n{text}\n")


def test_folders_are_normalised(tmp_path: Path) -> None:
    path = tmp_path / "komodo-guard.toml"
    path.write_text(
        '[tree.folders]\n"Owner/Other.git" = "./vendor//other/"\n'
        'homelab = ""\n"My-Repo" = "apps/./x"\n'
    )
    assert load_config(path).tree_folders == {
        "owner/other": "vendor/other",
        "homelab": "",
        "My-Repo": "apps/x",
    }


# The JSON schema: shipped with the package, complete, and in step with the loader.


def _object_schemas(node: Any, where: str = "#") -> Iterator[tuple[str, Any]]:
    if isinstance(node, dict):
        if node.get("type") == "object":
            yield where, node
        for key, child in node.items():
            yield from _object_schemas(child, f"{where}/{key}")
    elif isinstance(node, list):
        for index, child in enumerate(node):
            yield from _object_schemas(child, f"{where}/{index}")


def test_schema_is_a_valid_draft_2020_12_schema() -> None:
    schema = _schema()
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(schema)


def test_every_schema_table_is_closed_and_every_key_described() -> None:
    for where, node in _object_schemas(_schema()):
        assert node.get("description"), f"{where} has no description"
        closed = node.get("additionalProperties")
        if "properties" in node:
            assert closed is False, f"{where} allows unknown keys"
            for key, child in node["properties"].items():
                assert child.get("description"), f"{where}/{key} has no description"
                assert "type" in child or "$ref" in child, f"{where}/{key} has no type"
        else:
            assert "propertyNames" in node, f"{where} is a map with any keys"


def test_schema_and_loader_know_the_same_tables_and_keys() -> None:
    schema = _schema()
    for keys, allowed in TABLE_KEYS.items():
        node = schema
        for key in keys:
            node = node["properties"][key]
        assert tuple(node["properties"]) == allowed, keys


def test_severity_enum_matches_the_severities() -> None:
    enum = _schema()["$defs"]["severity"]["enum"]
    assert enum == [severity.label for severity in sorted(Severity, reverse=True)]


def _readme_configs() -> list[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("\n## Configuration", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```toml\n(.*?)```", section, flags=re.DOTALL)


def _example_configs() -> list[tuple[str, str]]:
    examples = [("examples/homelab/komodo-guard.toml", "")]
    examples += [(f"README.md#{n}", text) for n, text in enumerate(_readme_configs())]
    return [
        (name, text or (ROOT / name).read_text(encoding="utf-8"))
        for name, text in examples
    ]


def test_readme_has_configuration_examples() -> None:
    assert _readme_configs(), "the README's Configuration section lost its examples"


@pytest.mark.parametrize(("name", "text"), _example_configs())
def test_example_configs_are_valid(tmp_path: Path, name: str, text: str) -> None:
    errors = [error.message for error in VALIDATOR.iter_errors(tomllib.loads(text))]
    assert errors == [], name
    path = tmp_path / "komodo-guard.toml"
    path.write_text(text, encoding="utf-8")
    load_config(path)


GOOD = [
    "",
    'komodo_version = "2.3"\nfail_on = "info"\n',
    'komodo_version = "v1.17.5"\n',
    '[rules]\ndisable = ["KG004", "empty-file", "kg101"]\n',
    '[rules.severity]\nunknown-reference = "info"\nKG102 = "error"\n',
    '[known]\nservers = ["Local"]\nrepos = []\nvariables = ["A", "B"]\n',
    '[tree]\nrepos = ["owner/homelab", "group/sub/name"]\n',
    '[tree.folders]\nhomelab = "."\n"owner/other" = "vendor/other"\nx = ""\n',
    '[komodo]\nurl = "https://komodo.example.net"\n',
    '[komodo]\nurl = "http://127.0.0.1:9120/core"\n',
    "[komodo]\n",
    '[watch]\ninterval = "30s"\ncycle_timeout = 120\nstate_dir = "state"\n',
    '[watch]\nlisten = "[::1]:9718"\nstatus_token = "env:TOKEN"\n',
    "[watch]\nlisten = false\nhost = true\nresolve_after = 3\n",
    '[watch]\nheartbeat = "https://hc-ping.com/abc"\nheartbeat_timeout = "5s"\n',
    '[watch]\nheartbeat = "env:HB"\nlint = "/srv/homelab"\n',
    '[watch.reminders]\nerror = "1h30m"\nwarning = "off"\ninfo = "2d"\n',
    '[watch.flapping]\nlimit = 5\nwindow = "12h"\nstable_after = "90m"\n',
    '[[watch.maintenance]]\ndays = ["sat", "Sunday"]\nstart = "22:00"\n'
    'end = "02:00"\ntimezone = "Europe/Berlin"\n',
    '[[watch.maintenance]]\nstart = "2026-12-01T02:00:00Z"\n'
    'end = "2026-12-01T04:00:00+01:00"\n',
    '[[notify.channel]]\ntype = "ntfy"\nurl = "https://n.example/t"\n',
    '[[notify.channel]]\ntype = "email"\nhost = "smtp.example"\n'
    'from = "a@example"\nto = ["b@example"]\npassword = "env:PW"\n'
    'username = "a"\n',
    '[[notify.channel]]\ntype = "webhook"\nname = "ops"\nurl = "env:HOOK"\n'
    'secret = "env:SIG"\ntimeout = 5\n',
]
BAD = [
    'komodo_version = "2"\n',
    'komodo_version = "latest"\n',
    "komodo_version = 2.3\n",
    'fail_on = "warn"\n',
    'fail_on = "Warning"\n',
    "fail_on = true\n",
    'fail-on = "error"\n',
    "[rules]\ndisable = [4]\n",
    '[rules]\ndisable = "KG004"\n',
    '[rules]\ndisabled = ["KG004"]\n',
    '[rules.severity]\nKG102 = "loud"\n',
    '[rules.severity]\n"KG 102" = "info"\n',
    "[rules]\nseverity = []\n",
    '[known]\nserver = ["Local"]\n',
    '[known]\nvariables = "TZ"\n',
    '[tree]\nrepos = ["homelab"]\n',
    '[tree]\nrepos = ["git@github.com:a/b"]\n',
    '[tree.folders]\nhomelab = "/srv/homelab"\n',
    '[tree.folders]\nhomelab = "a/../../b"\n',
    '[tree.folders]\nhomelab = ["a"]\n',
    '[tree.folders]\n"https://github.com/a/b" = "b"\n',
    '[tree.folders]\n"my repo" = "b"\n',
    "[tree]\nfolders = 1\n",
    "[notify]\nurls = []\n",
    '[komodo]\nurl = "komodo.example.net"\n',
    '[komodo]\nurl = "https://admin:pw@komodo.example.net"\n',
    '[komodo]\nurl = "https://komodo example.net"\n',
    "[komodo]\nurl = 8120\n",
    '[komodo]\napi_key = "K-123"\n',
    '[watch]\ninterval = "5 minutes"\n',
    "[watch]\ninterval = 0\n",
    "[watch]\ninterval = true\n",
    "[watch]\nresolve_after = 0\n",
    '[watch]\nlisten = "localhost"\n',
    '[watch]\nstatus_token = "s3cret"\n',
    '[watch]\nheartbeat = "hc-ping.com/abc"\n',
    '[watch]\nhost = "yes"\n',
    '[watch]\nintervall = "5m"\n',
    '[watch.reminders]\nerror = "never"\n',
    '[watch.reminders]\ncritical = "1h"\n',
    "[watch.flapping]\nlimit = 0\n",
    '[[watch.maintenance]]\ndays = ["sat"]\nstart = "2am"\nend = "04:00"\n',
    '[[watch.maintenance]]\ndays = ["sat"]\nend = "04:00"\n',
    '[[watch.maintenance]]\nstart = "02:00"\nend = "04:00"\n',
    '[[watch.maintenance]]\ndays = ["sat"]\nstart = "02:00"\nend = "04:00"\n'
    'zone = "UTC"\n',
    '[[notify.channel]]\ntype = "telegram"\n',
    '[[notify.channel]]\ntype = "ntfy"\n',
    '[[notify.channel]]\ntype = "ntfy"\nurl = "https://n.example/t"\ntopic = "x"\n',
    '[[notify.channel]]\ntype = "gotify"\nurl = "https://g.example"\n',
    '[notify]\nchannel = "ntfy"\n',
]


def _loader_accepts(tmp_path: Path, text: str) -> bool:
    path = tmp_path / "komodo-guard.toml"
    path.write_text(text, encoding="utf-8")
    try:
        load_config(path)
    except ConfigError:
        return False
    return True


@pytest.mark.parametrize(
    ("text", "valid"), [(t, True) for t in GOOD] + [(t, False) for t in BAD]
)
def test_schema_and_loader_agree(tmp_path: Path, text: str, valid: bool) -> None:
    data: Mapping[str, Any] = tomllib.loads(text)
    assert VALIDATOR.is_valid(data) is valid
    assert _loader_accepts(tmp_path, text) is valid


@pytest.mark.parametrize(
    "text",
    [
        'komodo_version = "1.0"\n',  # the schema cannot know which releases exist
        '[rules]\ndisable = ["KG999"]\n',  # nor which rules exist
        '[tree.folders]\n"a/b" = "x"\n"A/B" = "y"\n',  # nor how repos normalise
        '[[watch.maintenance]]\ndays = ["sat"]\nstart = "02:00"\nend = "04:00"\n'
        'timezone = "Mars/Olympus"\n',  # nor which time zones exist
        '[[watch.maintenance]]\nstart = "2026-12-01T04:00:00Z"\n'
        'end = "2026-12-01T02:00:00Z"\n',  # nor compare times
        '[[notify.channel]]\ntype = "ntfy"\nurl = "https://n.example/a"\n'
        '[[notify.channel]]\ntype = "ntfy"\nurl = "https://n.example/b"\n',  # nor names
    ],
)
def test_loader_is_stricter_only_where_the_schema_cannot_know(
    tmp_path: Path, text: str
) -> None:
    assert VALIDATOR.is_valid(tomllib.loads(text))
    assert not _loader_accepts(tmp_path, text)


def test_komodo_url_is_read_and_credentials_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "komodo-guard.toml"
    path.write_text('[komodo]\nurl = "https://komodo.example.net"\n')
    assert load_config(path).komodo_url == "https://komodo.example.net"
    assert load_config(None).komodo_url is None
    message = _error(tmp_path, '[komodo]\nurl = "https://a:b@core"\n')
    assert message.endswith(
        "config.toml:2:1: `komodo.url` must be the http:// or https:// address of "
        'Komodo Core, such as "https://komodo.example.net", without user or '
        "password (the API key and secret come from KOMODO_API_KEY and "
        "KOMODO_API_SECRET)"
    )
    assert "a:b" not in message
    unknown = _error(tmp_path, '[komodo]\nsecret = "x"\n')
    assert "unknown key `secret` in [komodo]" in unknown


# [watch] and [[notify.channel]]


def test_watch_defaults_without_a_table() -> None:
    watch = load_config(None).watch
    assert watch.interval == timedelta(minutes=5)
    assert watch.listen == ("127.0.0.1", 9718)
    assert (watch.heartbeat, watch.status_token, watch.state_dir) == (None, None, None)
    assert dict(watch.reminders) == {
        "error": timedelta(hours=4),
        "warning": timedelta(hours=24),
        "info": None,
    }
    assert load_config(None).channels == ()


def test_every_watch_key_is_read(tmp_path: Path) -> None:
    path = tmp_path / "komodo-guard.toml"
    path.write_text(
        '[watch]\ninterval = "1m30s"\ncycle_timeout = 45\nstate_dir = "st"\n'
        'listen = "[::1]:9000"\nstatus_token = "env:KG_TOKEN"\n'
        'heartbeat = "env:KG_BEAT"\nheartbeat_timeout = "2s"\nresolve_after = 4\n'
        'cannot_check_after = 6\nhost = true\nlint = "../tree"\n'
        '[watch.reminders]\nwarning = "off"\ninfo = "2d"\n'
        '[watch.flapping]\nlimit = 7\nwindow = "1d"\nstable_after = "500ms"\n'
        '[[watch.maintenance]]\ndays = ["sat", "sunday"]\nstart = 23:00:00\n'
        'end = "01:00"\ntimezone = "Europe/Berlin"\n'
        "[[watch.maintenance]]\nstart = 2026-12-01T02:00:00Z\n"
        "end = 2026-12-01T04:00:00Z\n"
    )
    watch = load_config(path).watch
    assert (watch.interval, watch.cycle_timeout) == (
        timedelta(seconds=90),
        timedelta(seconds=45),
    )
    assert (watch.state_dir, watch.lint) == ("st", "../tree")
    assert watch.listen == ("::1", 9000)
    assert (watch.status_token, watch.heartbeat) == ("KG_TOKEN", "env:KG_BEAT")
    assert watch.heartbeat_timeout == timedelta(seconds=2)
    assert (watch.resolve_after, watch.cannot_check_after, watch.host) == (4, 6, True)
    assert dict(watch.reminders) == {
        "error": timedelta(hours=4),
        "warning": None,
        "info": timedelta(days=2),
    }
    assert (watch.flap_limit, watch.flap_window, watch.stable_after) == (
        7,
        timedelta(days=1),
        timedelta(milliseconds=500),
    )
    weekly, fixed = watch.maintenance
    saturday_night = datetime(2026, 12, 5, 23, 30, tzinfo=ZoneInfo("Europe/Berlin"))
    assert weekly.contains(saturday_night)
    assert not weekly.contains(saturday_night - timedelta(hours=2))
    assert fixed.contains(datetime(2026, 12, 1, 3, tzinfo=UTC))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            '[watch]\ninterval = "5 minutes"\n',
            'config.toml:2:1: `watch.interval` must be a duration such as "30s", '
            '"5m", "1h30m" or "2d"',
        ),
        (
            '[watch]\nstatus_token = "hunter2-literal"\n',
            'config.toml:2:1: `watch.status_token` must be "env:VARIABLE"',
        ),
        (
            '[watch]\nlisten = "9718"\n',
            'config.toml:2:1: `watch.listen` must be "ADDRESS:PORT"',
        ),
        (
            "[watch.flapping]\nlimit = 0\n",
            "config.toml:2:1: `watch.flapping.limit` must be a whole number, 1 or more",
        ),
        (
            '[watch]\nhost = true\n[[watch.maintenance]]\ndays = ["sat"]\n'
            'start = "2am"\nend = "04:00"\n',
            "config.toml:5:1: `watch.maintenance[0].start` must be a time of day such "
            'as "02:00"',
        ),
        (
            '[[watch.maintenance]]\ndays = ["caturday"]\nstart = "02:00"\n'
            'end = "04:00"\n',
            "config.toml:2:1: `watch.maintenance[0].days` unknown weekday 'caturday'",
        ),
        (
            '[[watch.maintenance]]\ndays = ["sat"]\nstart = "02:00"\n'
            'end = "04:00"\ntimezone = "Mars/Olympus"\n',
            "config.toml:5:1: `watch.maintenance[0].timezone` must be a time zone",
        ),
        (
            "[[watch.maintenance]]\nstart = 2026-12-01T04:00:00Z\n"
            "end = 2026-12-01T02:00:00Z\n",
            "config.toml:3:1: `watch.maintenance[0].end` a fixed window must end "
            "after it starts",
        ),
        (
            '[[watch.maintenance]]\nstart = 2026-12-01T02:00:00\nend = "x"\n',
            "config.toml:2:1: `watch.maintenance[0].start` must be a date and time "
            "with its offset",
        ),
        (
            '[[watch.maintenance]]\ndays = ["sat"]\nstart = "02:00"\nend = "04:00"\n'
            'zone = "UTC"\n',
            "config.toml:5:1: `watch.maintenance[0].zone` is not a key of "
            "[[watch.maintenance]]; did you mean `timezone`?",
        ),
        (
            '[watch.reminders]\ncritical = "1h"\n',
            "config.toml:2:1: unknown key `critical` in [watch.reminders]",
        ),
    ],
)
def test_watch_errors_name_file_line_and_key(
    tmp_path: Path, text: str, expected: str
) -> None:
    message = _error(tmp_path, text)
    assert expected in message
    assert "hunter2" not in message


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            '[[notify.channel]]\ntype = "ntfy"\nurl = "https://n.example/t"\n'
            '[[notify.channel]]\ntype = "gotify"\nurl = "https://g.example"\n'
            'tokn = "env:GOTIFY"\n',
            "config.toml:7:1: [[notify.channel]] #2 key `tokn`: unknown key; did you "
            "mean `token`?",
        ),
        (
            '[[notify.channel]]\ntype = "webhook"\nurl = "ftp://hooks.example/x"\n',
            "config.toml:3:1: [[notify.channel]] #1 key `url`: must start with "
            "http:// or https://",
        ),
        (
            '[[notify.channel]]\ntype = "email"\nhost = "smtp.example"\n'
            'from = "a@example"\nto = ["b@example"]\nsecurity = "plain"\n'
            'username = "a"\npassword = "hunter2"\n',
            "config.toml:",
        ),
        (
            '[[notify.channel]]\ntype = "ntfy"\nurl = "https://n.example/a"\n'
            '[[notify.channel]]\ntype = "ntfy"\nurl = "https://n.example/b"\n',
            "config.toml:4:1: [[notify.channel]] #2 key `name`: 'ntfy' is already "
            "the name of #1",
        ),
        (
            '[notify]\nchannel = "ntfy"\n',
            "config.toml:2:1: `notify.channel` must be an array",
        ),
    ],
)
def test_channel_errors_name_file_table_index_and_key(
    tmp_path: Path, text: str, expected: str
) -> None:
    message = _error(tmp_path, text)
    assert message.startswith(str(tmp_path / "config.toml"))
    assert expected in message
    assert "hunter2" not in message


def test_channels_are_parsed_by_the_notify_package(tmp_path: Path) -> None:
    path = tmp_path / "komodo-guard.toml"
    path.write_text(
        '[[notify.channel]]\ntype = "ntfy"\nurl = "https://n.example/t"\n'
        '[[notify.channel]]\ntype = "slack"\nname = "ops"\nurl = "env:SLACK_URL"\n'
    )
    found = load_config(path).channels
    assert [(c.kind, c.name) for c in found] == [("ntfy", "ntfy"), ("slack", "ops")]


def test_durations_and_addresses() -> None:
    assert parse_duration("1h30m") == timedelta(minutes=90)
    assert parse_duration("250ms") == timedelta(milliseconds=250)
    assert parse_duration(" 2d ") == timedelta(days=2)
    for bad in ("", "5", "5 m", "-1s", "0s", "m5"):
        with pytest.raises(ValueError, match="duration"):
            parse_duration(bad)
    assert parse_listen("0.0.0.0:9718") == ("0.0.0.0", 9718)
    assert parse_listen("[::]:1") == ("::", 1)
    for bad in ("9718", "host:99999", "[::1]", ":80"):
        with pytest.raises(ValueError, match="ADDRESS:PORT"):
            parse_listen(bad)


def test_hosts_names_this_hosts_periphery_root_and_docker_socket(
    tmp_path: Path,
) -> None:
    path = tmp_path / "komodo-guard.toml"
    for socket in ("/run/docker.sock", "unix:///run/docker.sock"):
        text = f'[hosts]\nperiphery_root = "komodo"\ndocker_socket = "{socket}"\n'
        path.write_text(text)
        config = load_config(path)
        assert config.periphery_root == tmp_path / "komodo"
        assert config.docker_socket == "/run/docker.sock"
        assert list(VALIDATOR.iter_errors(tomllib.loads(text))) == []
    path.write_text('[hosts]\nperiphery_root = "/etc/komodo"\n')
    assert load_config(path).periphery_root == Path("/etc/komodo")
    assert load_config(path).docker_socket is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            '[hosts]\nperiphery_root = ""\n',
            ":2:1: `hosts.periphery_root` must be the path of Periphery's root",
        ),
        (
            '[hosts]\ndocker_socket = "tcp://127.0.0.1:2375"\n',
            ":2:1: `hosts.docker_socket` must be the absolute path of the Docker "
            "Engine's Unix socket",
        ),
        ("[hosts]\ndocker_socket = true\n", ":2:1: `hosts.docker_socket` must be"),
        ('[hosts]\ndocker_socket = "docker.sock"\n', ":2:1: `hosts.docker_socket`"),
    ],
)
def test_bad_host_settings(tmp_path: Path, text: str, expected: str) -> None:
    assert expected in _error(tmp_path, text)
    assert list(VALIDATOR.iter_errors(tomllib.loads(text))), "the schema agrees"
