"""The files a lifecycle command writes, read from its text without running it.

Komodo runs ``pre_deploy.command`` as one shell line: blank lines and ``#``
comment lines are dropped, `` #`` ends a line, and the remaining lines are
joined with ``&&`` after ``cd <path>`` (Periphery's
``run_komodo_command``). So a ``cd`` on one line moves every later line.

Recognised writers: redirections (``>``, ``>>``, ``&>``, ``>|``, ``>&`` to a
file), ``tee``, ``touch``, the last argument of ``cp``, ``mv``, ``ln`` and
``install``, and the output options of ``sops``, ``op``, ``curl`` and
``wget``; ``sh -c '...'`` (and other shells) is read recursively. Paths with
``$``, backticks or globs cannot be known and are skipped, as is everything
after a ``cd`` whose folder cannot be known.
"""

from __future__ import annotations

import posixpath
import shlex
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field

from komodo_guard.komodo.parsers import command_lines

_SEPARATORS = frozenset({";", "&&", "||", "|", "&", "|&", "(", ")", ";;"})
_WRITES = frozenset({">", ">>", "&>", "&>>", ">|"})
_READS = frozenset({"<", "<<", "<<<", "<>"})
_PREFIXES = frozenset({"sudo", "env", "exec", "command", "nohup", "time"})
_SHELLS = frozenset({"sh", "bash", "zsh", "ash", "dash", "ksh"})
_LAST_ARGUMENT = frozenset({"cp", "mv", "ln", "install"})
_ALL_ARGUMENTS = frozenset({"tee", "touch"})
_OUTPUT_OPTIONS: Mapping[str, frozenset[str]] = {
    "sops": frozenset({"--output"}),
    "op": frozenset({"-o", "--out-file"}),
    "curl": frozenset({"-o", "--output"}),
    "wget": frozenset({"-O", "--output-document"}),
}
_UNKNOWABLE = frozenset("$`*?[{")


def written_files(command: str) -> list[str]:
    """The paths ``command`` writes, relative to the folder it starts in
    (absolute paths stay absolute), in the order written."""
    state = _Shell()
    state.run(" && ".join(command_lines(command)))
    return state.written


@dataclass
class _Shell:
    """The folder the command is in (None once unknown) and what it wrote."""

    cwd: str | None = ""
    written: list[str] = field(default_factory=list)

    def run(self, text: str) -> None:
        tokens = _tokens(text)
        if tokens is None:
            return
        for words in _simple_commands(tokens):
            self._command(words)

    def _command(self, words: list[tuple[str, bool]]) -> None:
        arguments: list[str] = []
        index = 0
        while index < len(words):
            word, operator = words[index]
            if operator and word in _WRITES | {">&"} and index + 1 < len(words):
                target = words[index + 1][0]
                if not (word == ">&" and (target.isdigit() or target == "-")):
                    self._wrote(target)
                index += 2
            elif operator and word in _READS:
                index += 2
            else:
                if not operator and not (
                    word.isdigit() and _next_is_redirect(words, index)
                ):
                    arguments.append(word)
                index += 1
        self._program(_strip_prefixes(arguments))

    def _program(self, arguments: Sequence[str]) -> None:
        if not arguments:
            return
        name = posixpath.basename(arguments[0])
        rest = list(arguments[1:])
        if name == "cd":
            self._cd(rest)
        elif name in _SHELLS and "-c" in rest[:-1]:
            self.run(rest[rest.index("-c") + 1])
        elif name in _ALL_ARGUMENTS:
            for argument in _operands(rest):
                self._wrote(argument)
        elif name in _LAST_ARGUMENT:
            self._copy(rest)
        elif name in _OUTPUT_OPTIONS:
            for target in _option_values(rest, _OUTPUT_OPTIONS[name]):
                self._wrote(target)

    def _cd(self, rest: list[str]) -> None:
        operands = _operands(rest)
        if self.cwd is None or len(operands) != 1 or _UNKNOWABLE & set(operands[0]):
            self.cwd = None
            return
        self.cwd = posixpath.normpath(posixpath.join(self.cwd or ".", operands[0]))

    def _copy(self, rest: list[str]) -> None:
        if any(arg in ("-t", "--target-directory") for arg in rest):
            return
        operands = _operands(rest)
        if len(operands) < 2:
            return
        destination = operands[-1]
        if destination.endswith("/"):
            for source in operands[:-1]:
                self._wrote(destination + posixpath.basename(source))
        else:
            self._wrote(destination)

    def _wrote(self, target: str) -> None:
        if self.cwd is None or not target or _UNKNOWABLE & set(target):
            return
        if target.startswith("/"):
            self.written.append(posixpath.normpath(target))
        else:
            self.written.append(posixpath.normpath(posixpath.join(self.cwd, target)))


def _tokens(text: str) -> list[tuple[str, bool]] | None:
    """Words and operators; quoted words are unquoted and never operators."""
    lexer = shlex.shlex(text, posix=False, punctuation_chars=True)
    lexer.whitespace_split = True
    try:
        raw = list(lexer)
    except ValueError:
        return None
    tokens = []
    for token in raw:
        if token and token[0] in "'\"":
            tokens.append((_unquote(token), False))
        else:
            operator = bool(token) and set(token) <= set("<>|&;()")
            tokens.append((token, operator))
    return tokens


def _unquote(token: str) -> str:
    try:
        parts = shlex.split(token)
    except ValueError:
        return token
    return parts[0] if parts else ""


def _simple_commands(
    tokens: list[tuple[str, bool]],
) -> Iterator[list[tuple[str, bool]]]:
    current: list[tuple[str, bool]] = []
    for word, operator in tokens:
        if operator and word in _SEPARATORS:
            yield current
            current = []
        else:
            current.append((word, operator))
    yield current


def _next_is_redirect(words: list[tuple[str, bool]], index: int) -> bool:
    """``2`` in ``2> file``: a file descriptor, not an argument."""
    if index + 1 >= len(words):
        return False
    word, operator = words[index + 1]
    return operator and word.startswith((">", "<"))


def _strip_prefixes(arguments: list[str]) -> list[str]:
    """Drop ``VAR=value``, ``sudo``, ``env -i`` and the like before the program."""
    index = 0
    while index < len(arguments) and _is_prefix(arguments, index):
        index += 1
    return arguments[index:]


def _is_prefix(arguments: list[str], index: int) -> bool:
    word = arguments[index]
    if word in _PREFIXES or ("=" in word and not word.startswith("-")):
        return True
    return word.startswith("-") and index > 0 and arguments[index - 1] in _PREFIXES


def _operands(arguments: list[str]) -> list[str]:
    """Arguments that are not options (everything after ``--`` is an operand)."""
    if "--" in arguments:
        cut = arguments.index("--")
        before = [a for a in arguments[:cut] if not a.startswith("-")]
        return before + arguments[cut + 1 :]
    return [a for a in arguments if not a.startswith("-")]


def _option_values(arguments: list[str], options: frozenset[str]) -> Iterator[str]:
    for index, argument in enumerate(arguments):
        name, equals, value = argument.partition("=")
        if equals and name in options:
            yield value
        elif argument in options and index + 1 < len(arguments):
            yield arguments[index + 1]
