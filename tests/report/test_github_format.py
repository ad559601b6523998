"""GitHub workflow commands: exact lines and GitHub's escaping rules."""

from __future__ import annotations

from komodo_guard.report import github_format
from komodo_guard.rules.interface import FailureClass, Location, ResourceRef, Severity
from tests.report.samples import EMPTY, SYNTAX, UNSYNCED, finding, result


def test_escape_data_encodes_percent_cr_and_lf() -> None:
    assert github_format.escape_data("50%\r\nnext") == "50%25%0D%0Anext"


def test_escape_property_also_encodes_colon_and_comma() -> None:
    assert github_format.escape_property("a:b,c%\n") == "a%3Ab%2Cc%25%0A"


def test_one_command_per_active_finding_then_the_summary() -> None:
    hidden = finding(location=Location("x.toml", 1, 1), suppressed="known, tracked")
    text = github_format.render(result(SYNTAX, EMPTY, UNSYNCED, hidden))
    assert text.splitlines() == [
        "::warning file=empty.toml,line=1,col=1,title=KG003 empty-file::"
        "empty file: it declares no Komodo resources%0Ahint: delete the file",
        "::notice file=old/stack.toml,line=1,col=1,title=KG004 file-not-synced::"
        "no resource_sync reads this file%0Ahint: add it to a sync's resource_path",
        "::error file=stacks.toml,line=3,col=7,title=KG001 syntax-error::"
        "invalid TOML: expected `=`",
        "komodo-guard: 3 files, 2 resources checked for Komodo 2.3.2: 1 error, "
        "1 warning, 1 info, 1 suppressed",
    ]


def test_properties_and_message_are_escaped() -> None:
    odd = finding(
        location=Location("a,b:c.toml", 2, 4, 2, 9),
        message="100% wrong\nsecond line: yes, really",
    )
    (line, _) = github_format.render(result(odd)).splitlines()
    assert line == (
        "::error file=a%2Cb%3Ac.toml,line=2,col=4,endLine=2,endColumn=9,"
        "title=KG001 syntax-error::100%25 wrong%0Asecond line: yes, really"
    )


def test_paths_are_joined_to_a_relative_root() -> None:
    (line, _) = github_format.render(result(SYNTAX, root="./infra/")).splitlines()
    assert line.startswith("::error file=infra/stacks.toml,line=3,col=7,")


def test_a_finding_without_a_file_names_its_resource() -> None:
    about = finding(
        "KG000",
        name="check-incomplete",
        severity=Severity.ERROR,
        failure_class=FailureClass.INCOMPLETE,
        message="rule could not run",
        resource=ResourceRef("stack", "web"),
    )
    (line, _) = github_format.render(result(about)).splitlines()
    assert (
        line == "::error title=KG000 check-incomplete::stack 'web': rule could not run"
    )


def test_notes_cannot_start_a_command() -> None:
    text = github_format.render(result(notes=("one\n::error::fake",)))
    assert text.splitlines()[-1] == "komodo-guard: note: one%0A::error::fake"
