"""The files a lifecycle command writes, read from its text."""

from __future__ import annotations

import pytest

from komodo_guard.komodo.parsers import command_lines
from komodo_guard.rules.wiring.shell import written_files


@pytest.mark.parametrize(
    ("command", "written"),
    [
        ("echo a > b", ["b"]),
        ("x 2>&1 >>c.env", ["c.env"]),
        ("cmd &> log.txt", ["log.txt"]),
        ("sops -d s.enc.env > .env && docker ps | tee -a out.log", [".env", "out.log"]),
        ('echo "a > b" > c', ["c"]),
        ("cp a b; mv c d/", ["b", "d/c"]),
        ("touch a b", ["a", "b"]),
        ("ln -s ../shared.env app.env", ["app.env"]),
        ("sops -d --output=sec.env sec.enc.env", ["sec.env"]),
        ("sops -d --output 'my file.env' s", ["my file.env"]),
        ("sh -c '. /etc/op.env && op inject -f -i .env.tpl -o .env'", [".env"]),
        ("ENV=1 sudo tee x.env < y", ["x.env"]),
        ("envsubst < compose.tpl > compose.yaml", ["compose.yaml"]),
        ("echo hi > /etc/motd", ["/etc/motd"]),
        ("cd sub && cp ../a.env b.env", ["sub/b.env"]),
    ],
)
def test_writers_are_found(command: str, written: list[str]) -> None:
    assert written_files(command) == written


@pytest.mark.parametrize(
    "command",
    [
        "echo $(date) > ${DIR}/f",
        "cp -t dir a b",
        'echo "unbalanced > x',
        "cd $HOME && touch c",
        "cat a.env | grep KEY",
        "docker compose pull 2>&1",
        "echo '>' x",
    ],
)
def test_nothing_knowable_is_written(command: str) -> None:
    assert written_files(command) == []


def test_lines_are_joined_so_cd_carries_over() -> None:
    command = "cd config  # go there\n# a comment > ignored.txt\n\ntouch ready"
    assert command_lines(command) == ["cd config", "touch ready"]
    assert written_files(command) == ["config/ready"]
