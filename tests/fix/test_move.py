"""Moves: a key, its whole value and its comments go to the table they belong to."""

from __future__ import annotations

import pytest

from komodo_guard.rules.resources.unknown_key import RULE
from tests.conftest import TreeFactory
from tests.fix.fixkit import fixed, plan, unchanged
from tests.rules.lintkit import findings

# Like corpus repo31: `auto_update` above [stack.config] in every stack.
ABOVE_CONFIG = """\
## Stacks

[[stack]]
name = "traefik"
tags = ["infra"]
deploy = true
# keep the proxy current
auto_update = true
[stack.config]
server_id = "Local"
environment = \"\"\"
ACME_EMAIL = [[ACME_EMAIL]]
\"\"\"

[[stack]]
name = "dozzle"
deploy = true
auto_update = true   # logs
[stack.config]
server_id = "Local"
run_directory = "stacks/dozzle"
"""

ABOVE_CONFIG_FIXED = """\
## Stacks

[[stack]]
name = "traefik"
tags = ["infra"]
deploy = true
[stack.config]
server_id = "Local"
environment = \"\"\"
ACME_EMAIL = [[ACME_EMAIL]]
\"\"\"
# keep the proxy current
auto_update = true

[[stack]]
name = "dozzle"
deploy = true
[stack.config]
server_id = "Local"
run_directory = "stacks/dozzle"
auto_update = true   # logs
"""

# Like corpus repo29: keys written after a [stack.config.pre_deploy] header.
SWALLOWED = """\
[[stack]]
name = "taxhacker"
[stack.config]
server = "local"
file_paths = ["docker-compose.yml"]
#config_files = [
#  { path = "docker-compose.override.yaml" }
#]

# Add this pre-deploy script
[stack.config.pre_deploy]
command = "./prepare.sh"

# Then add it to file_paths
file_paths = ["docker-compose.yml", "docker-compose.override.yaml"]

# the app's settings
environment = \"\"\"
NODE_ENV=production
UPLOAD_PATH=/app/data/uploads
\"\"\"
file_contents = '''
services: {}
'''
links = [
  "https://tax.example.com",  # public
  "https://tax.lan",
]
"""

SWALLOWED_FIXED = """\
[[stack]]
name = "taxhacker"
[stack.config]
server = "local"
file_paths = ["docker-compose.yml"]
# the app's settings
environment = \"\"\"
NODE_ENV=production
UPLOAD_PATH=/app/data/uploads
\"\"\"
file_contents = '''
services: {}
'''
links = [
  "https://tax.example.com",  # public
  "https://tax.lan",
]
#config_files = [
#  { path = "docker-compose.override.yaml" }
#]

# Add this pre-deploy script
[stack.config.pre_deploy]
command = "./prepare.sh"

# Then add it to file_paths
file_paths = ["docker-compose.yml", "docker-compose.override.yaml"]
"""


def test_keys_above_config_move_into_it(make_tree: TreeFactory) -> None:
    assert fixed(make_tree, ABOVE_CONFIG) == ABOVE_CONFIG_FIXED


def test_swallowed_keys_move_above_the_header(make_tree: TreeFactory) -> None:
    # `file_paths` stays: [stack.config] already sets it.
    assert fixed(make_tree, SWALLOWED) == SWALLOWED_FIXED


def test_counts_each_move(make_tree: TreeFactory) -> None:
    assert plan(make_tree({"stacks.toml": SWALLOWED})).count == 3


def test_creates_the_config_table(make_tree: TreeFactory) -> None:
    text = """\
[[stack]]
name = "a"
# keep it fresh
auto_update = true
deploy = true

[[stack]]
name = "b"
"""
    assert (
        fixed(make_tree, text)
        == """\
[[stack]]
name = "a"
deploy = true
[stack.config]
# keep it fresh
auto_update = true

[[stack]]
name = "b"
"""
    )


def test_creates_the_config_table_before_its_sub_tables(
    make_tree: TreeFactory,
) -> None:
    text = """\
[[stacks]]
name = "a"
[stacks.config.pre_deploy]
command = "x"

# compose files
file_paths = [
  "a.yaml",  # first
  "b.yaml",
]
"""
    assert (
        fixed(make_tree, text)
        == """\
[[stacks]]
name = "a"
[stacks.config]
# compose files
file_paths = [
  "a.yaml",  # first
  "b.yaml",
]
[stacks.config.pre_deploy]
command = "x"
"""
    )


def test_swallowed_resource_key_moves_to_the_resource(make_tree: TreeFactory) -> None:
    text = """\
[[stack]]
name = "a"
[stack.config]
server = "local"
[stack.config.pre_deploy]
command = "x"
deploy = true
"""
    assert (
        fixed(make_tree, text)
        == """\
[[stack]]
name = "a"
deploy = true
[stack.config]
server = "local"
[stack.config.pre_deploy]
command = "x"
"""
    )


def test_keeps_crlf_and_a_missing_final_newline(make_tree: TreeFactory) -> None:
    text = '[[stack]]\r\nname = "a"\r\nauto_update = true\r\n[stack.config]\r\nx = 1'
    assert fixed(make_tree, text.encode()) == (
        '[[stack]]\r\nname = "a"\r\n[stack.config]\r\nx = 1\r\nauto_update = true'
    )


@pytest.mark.parametrize(
    "text",
    [
        # the target table already sets the key
        '[[stack]]\nname = "a"\nauto_update = true\n[stack.config]\nauto_update = 0\n',
        # in its new place the value would make the file fail to deserialize
        '[[stack]]\nname = "a"\nauto_update = "yes"\n[stack.config]\nserver = "x"\n',
        # the config table is inline or made of dotted keys: no end to append to
        '[[stack]]\nname = "a"\nauto_update = true\nconfig = { server = "x" }\n',
        '[[stack]]\nname = "a"\nauto_update = true\nconfig.server = "x"\n',
        # the key is written as a dotted key of another table
        '[[stack]]\nname = "a"\n[stack.config]\npre_deploy.deploy = true\n',
    ],
)
def test_unsafe_moves_are_left_alone(make_tree: TreeFactory, text: str) -> None:
    assert findings(make_tree({"stacks.toml": text}), RULE)
    assert unchanged(make_tree, text)


def test_komodo_backslash_strings_move_intact(make_tree: TreeFactory) -> None:
    # Komodo doubles backslashes inside triple-quoted strings before parsing.
    text = (
        '[[stack]]\nname = "a"\n[stack.config]\nenvironment = """\nP=C:\\x\n"""\n'
        '[stack.config.pre_deploy]\ncommand = "x"\n'
        'file_contents = """\nre: "\\d+"\n"""\n'
    )
    assert fixed(make_tree, text) == (
        '[[stack]]\nname = "a"\n[stack.config]\nenvironment = """\nP=C:\\x\n"""\n'
        'file_contents = """\nre: "\\d+"\n"""\n'
        '[stack.config.pre_deploy]\ncommand = "x"\n'
    )
