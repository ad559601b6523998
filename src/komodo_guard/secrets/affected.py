"""The Stacks that take a secret when they are deployed, found without being told.

``secrets rotate`` redeploys these after every place is written, so a
rotation does not leave a running stack on the old value. A Stack is affected
when, in Komodo Core's own view of it (``ListFullStacks``):

- a field Komodo interpolates (FACTS §2.7: ``file_contents``,
  ``environment``, ``pre_deploy.command``, ``post_deploy.command``,
  ``compose_cmd_wrapper``, ``extra_args``, ``build_extra_args``) uses
  ``[[NAME]]`` of a ``komodo-variable`` place, or of a ``core-config`` place
  whose key is ``secrets.NAME`` of Core's config (Core's ``[secrets]`` are
  interpolated the same way), unless the Stack sets ``skip_secret_interp``;
- a file place (``env-file``, ``sops``) lies in the Stack's own folder on a
  host, ``…/stacks/<stack name>/…`` (Periphery's ``stack_dir``, FACTS §5.3),
  or in the Stack's ``run_directory`` when that is an absolute path at least
  two folders deep;
- a ``container`` place's container belongs to the Stack's compose project
  (its ``com.docker.compose.project`` label is the Stack's ``project_name``,
  the project it was last deployed as, or its name).

The matching is pure (:func:`affected`); :func:`find_affected` gathers
Core's Stacks and the containers' projects, and says why when it cannot.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import PurePosixPath
from typing import Any

from komodo_guard.komodo.interpolation import find_variables
from komodo_guard.live.errors import CoreError
from komodo_guard.secrets.places.container import ContainerPlace
from komodo_guard.secrets.places.core_config import CoreConfigPlace
from komodo_guard.secrets.places.envfile import EnvFilePlace
from komodo_guard.secrets.places.interface import Context, Place, StoreError
from komodo_guard.secrets.places.komodo_variable import KomodoVariablePlace
from komodo_guard.secrets.places.sops import SopsPlace
from komodo_guard.secrets.secretmap import SecretSpec

INTERPOLATED = (
    ("file_contents",),
    ("environment",),
    ("pre_deploy", "command"),
    ("post_deploy", "command"),
    ("compose_cmd_wrapper",),
    ("extra_args",),
    ("build_extra_args",),
)
# What else Komodo interpolates (FACTS §2.7): a Deployment takes the value
# when it is deployed again, a Build bakes it into an image.
OTHER_KINDS = (
    (
        "ListFullDeployments",
        "Deployment",
        (
            ("environment",),
            ("ports",),
            ("volumes",),
            ("labels",),
            ("command",),
            ("extra_args",),
        ),
        "redeploy it after the rotation (komodo-guard trigger deployment {name})",
    ),
    (
        "ListFullBuilds",
        "Build",
        (
            ("build_args",),
            ("secret_args",),
            ("labels",),
            ("pre_build", "command"),
            ("dockerfile",),
            ("extra_args",),
        ),
        "run it again, then redeploy what runs its image",
    ),
)
STACK_FOLDER = "stacks"
MIN_RUN_DIRECTORY_PARTS = 3
"""``/srv/app`` is ``("/", "srv", "app")``: shallower folders are shared."""


@dataclass(frozen=True)
class Use:
    """Stack ``stack`` takes the secret on deploy, for ``reason``;
    ``container`` names the container place that runs in it, if that is the
    reason."""

    stack: str
    reason: str
    container: str = ""


@dataclass(frozen=True)
class Search:
    """The Stacks found; why the search was incomplete (empty: complete);
    what an operator should know of its result."""

    uses: tuple[Use, ...] = ()
    problems: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    others: tuple[str, ...] = ()
    """Deployments and Builds that use the secret, with what to do about each."""

    @property
    def stacks(self) -> tuple[str, ...]:
        """Each affected Stack once, in the order found."""
        return tuple(dict.fromkeys(use.stack for use in self.uses))


def variable_names(places: Iterable[Place]) -> tuple[str, ...]:
    """The ``[[NAME]]`` a Stack would write to take the secret from Core."""
    names: list[str] = []
    for place in places:
        if isinstance(place, KomodoVariablePlace):
            names.append(place.variable)
        elif isinstance(place, CoreConfigPlace) and place.is_toml:
            section, _, name = place.key.partition(".")
            if section == "secrets" and name and "." not in name:
                names.append(name)
    return tuple(dict.fromkeys(names))


def affected(
    stacks: Sequence[Mapping[str, Any]],
    places: Sequence[Place],
    projects: Mapping[str, str],
) -> tuple[Use, ...]:
    """The Stacks of ``stacks`` (Core's full Stack objects) that take the
    secret held in ``places``; ``projects`` maps a container place's container
    to its compose project."""
    names = variable_names(places)
    files = [
        PurePosixPath(place.file)
        for place in places
        if isinstance(place, EnvFilePlace | SopsPlace)
    ]
    uses: list[Use] = []
    for stack in stacks:
        name = stack.get("name")
        config = stack.get("config")
        if not isinstance(name, str) or not isinstance(config, Mapping):
            continue
        uses += [Use(name, reason) for reason in _variable_uses(config, names)]
        uses += [
            Use(name, f"its folder on the host holds {file}")
            for file in files
            if _in_stack_folder(file, name, config.get("run_directory"))
        ]
        project_names = _project_names(name, config, stack.get("info"))
        uses += [
            Use(
                name, f"container {container} belongs to its compose project", container
            )
            for container, project in projects.items()
            if project in project_names
        ]
    return tuple(uses)


def others_using(
    resources: Sequence[Mapping[str, Any]],
    kind: str,
    fields: tuple[tuple[str, ...], ...],
    action: str,
    names: Sequence[str],
) -> tuple[str, ...]:
    """What to do about each resource of ``kind`` (Deployments, Builds) that
    uses one of ``names``: rotate does not redeploy or rebuild those."""
    found: list[str] = []
    for resource in resources:
        name, config = resource.get("name"), resource.get("config")
        if not isinstance(name, str) or not isinstance(config, Mapping):
            continue
        reasons = _variable_uses(config, names, fields)
        if reasons:
            found.append(
                f"{kind} {name}: {reasons[0].removeprefix('its ')}; "
                + action.format(name=name)
            )
    return tuple(found)


def _variable_uses(
    config: Mapping[str, Any],
    names: Sequence[str],
    fields: tuple[tuple[str, ...], ...] = INTERPOLATED,
) -> list[str]:
    """How ``config`` uses each of ``names`` through interpolation."""
    if not names or config.get("skip_secret_interp") is True:
        return []
    reasons: list[str] = []
    for keys in fields:
        used = {use.name for text in _texts(config, keys) for use in _uses(text)}
        reasons += [
            f"its {'.'.join(keys)} uses [[{name}]]" for name in names if name in used
        ]
    return reasons


def _texts(config: Mapping[str, Any], keys: tuple[str, ...]) -> list[str]:
    node: Any = config
    for key in keys:
        node = node.get(key) if isinstance(node, Mapping) else None
    if isinstance(node, str):
        return [node]
    if isinstance(node, list):
        return [item for item in node if isinstance(item, str)]
    return []


def _uses(text: str) -> list[Any]:
    return [use for use in find_variables(text) if use.error is None]


def _in_stack_folder(file: PurePosixPath, stack: str, run_directory: object) -> bool:
    """Whether ``file`` is inside ``…/stacks/<stack>/``, or inside the
    Stack's ``run_directory`` when that is absolute."""
    parts = file.parts
    # A run directory of "/" or "/srv" holds everything: it names no Stack.
    folder = PurePosixPath(str(run_directory))
    named = folder.is_absolute() and len(folder.parts) >= MIN_RUN_DIRECTORY_PARTS
    if named and file.is_relative_to(folder):
        return True
    return any(
        parts[index] == STACK_FOLDER and parts[index + 1] == stack
        for index in range(len(parts) - 2)
    )


def unmatched_files(places: Sequence[Place], uses: Sequence[Use]) -> tuple[str, ...]:
    """The file places no Stack was found for (their reasons never name them)."""
    return tuple(
        place.file
        for place in places
        if isinstance(place, EnvFilePlace)
        and not any(use.reason.endswith(f"holds {place.file}") for use in uses)
    )


def _project_names(name: str, config: Mapping[str, Any], info: object) -> set[str]:
    """The compose project names the Stack runs under."""
    found = {name, name.lower()}
    for value in (
        config.get("project_name"),
        info.get("deployed_project_name") if isinstance(info, Mapping) else None,
    ):
        if isinstance(value, str) and value:
            found.add(value)
    return found


def find_affected(spec: SecretSpec, context: Context) -> Search:
    """The Stacks on Core that take secret ``spec``; what could not be looked at."""
    if context.core is None:
        return Search(
            problems=(
                "the Stacks using it were not looked for: " + context.core_problem,
            )
        )
    try:
        stacks = context.core.list_all("ListFullStacks")
    except CoreError as error:
        return Search(problems=(f"the Stacks using it were not looked for: {error}",))
    projects: dict[str, str] = {}
    problems: list[str] = []
    for place in spec.places:
        if not isinstance(place, ContainerPlace):
            continue
        try:
            project = place.inspected(context).project
        except StoreError as error:
            problems.append(f"{place.label}: its compose project is unknown: {error}")
            continue
        if project is not None:
            projects[place.container] = project
    # A file written relative to the map is matched where it really is.
    places = [
        replace(place, file=str(context.file(place.file)))
        if isinstance(place, EnvFilePlace | SopsPlace)
        else place
        for place in spec.places
    ]
    uses = affected(stacks, places, projects)
    # A file in git (sops) is not read by a Stack from its place here.
    notes = tuple(
        f"no Stack on Core reads {file} from its folder: if one does, name it "
        "with --redeploy STACK"
        for file in unmatched_files(places, uses)
    )
    others: list[str] = []
    names = variable_names(spec.places)
    for call, kind, fields, action in OTHER_KINDS if names else ():
        try:
            listed = context.core.list_all(call)
        except CoreError as error:
            notes += (f"{kind}s using it were not looked for: {error}",)
            continue
        others += others_using(listed, kind, fields, action, names)
    return Search(uses, tuple(problems), notes, tuple(others))
