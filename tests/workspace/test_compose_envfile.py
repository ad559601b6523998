"""Names defined by dotenv files."""

from komodo_guard.workspace.envfile import dotenv_names


def test_dotenv_names() -> None:
    text = (
        "# comment\n"
        "A=1\n"
        "export B=2\n"
        "C: 3\n"
        "  D = spaced\n"
        "E\n"
        'F="multi\n'
        "NOT_A_KEY=inside the quoted value\n"
        'end"\n'
        "G='single'\n"
        "=broken\n"
    )
    assert dotenv_names(text) == {"A", "B", "C", "D", "E", "F", "G"}


def test_escaped_quote_does_not_close() -> None:
    assert dotenv_names('A="x\\"\nB=inside"\nC=1\n') == {"A", "C"}
