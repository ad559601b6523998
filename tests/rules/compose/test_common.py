from komodo_guard.rules.compose.common import (
    files_under,
    image_name,
    mounts,
    split_outside_braces,
)
from komodo_guard.workspace.compose_stacks import tree_join


def test_split_outside_braces() -> None:
    assert split_outside_braces("${A:-1}:80:${B:-x:y}", ":") == [
        "${A:-1}",
        "80",
        "${B:-x:y}",
    ]
    assert split_outside_braces("a:b", ":") == ["a", "b"]


def test_image_name() -> None:
    assert image_name("redis") == ("redis", "", "")
    assert image_name("host:5000/a/b:1.2@sha256:x") == (
        "host:5000/a/b",
        "1.2",
        "sha256:x",
    )
    assert image_name("host:5000/a") == ("host:5000/a", "", "")


def test_mounts_in_both_syntaxes() -> None:
    service = {
        "volumes": [
            "./a:/a:ro,z",
            "data:/data",
            "/only/target",
            {"type": "bind", "source": "/s", "target": "/t", "read_only": True},
            {"type": "volume", "source": "v", "target": "/v"},
        ]
    }
    found = [
        (m.source, m.read_only, m.bind) for m in mounts(("services", "x"), service)
    ]
    assert found == [
        ("./a", True, True),
        ("data", False, False),
        ("/s", True, True),
        ("v", False, False),
    ]


def test_files_under_and_tree_join() -> None:
    files = sorted(["a/b/c", "a/b0", "a/b/d/e", "a/bc", "z"])
    assert files_under(files, "a/b") == ["a/b/c", "a/b/d/e"]
    assert tree_join("x/y", "../z") == "x/z"
    assert tree_join("x", "/abs") is None
    assert tree_join("", "../up") is None
