"""An image with no tag or the ``latest`` tag, on a Stack that does not
auto-update.

``image: nginx`` means ``nginx:latest``: what runs is whatever was newest the
last time the host pulled, so two hosts (or two deploys) can run different
versions, a redeploy can bring a breaking major release without any change in
git, and a rollback has nothing to roll back to. Pin a version tag, or a
digest (``@sha256:…``) for full reproducibility.

Komodo's ``poll_for_updates`` and ``auto_update`` only work with rolling tags,
so a floating tag on a Stack that sets either of them is intentional and not
reported. Images built by the service (``build:``) and images written with a
variable (``${IMAGE}``) are not judged.

Equivalents: compose-lint CL-0004 (and CL-0019 for digests); kube-linter
``latest-tag``; checkov CKV_K8S_14 / CKV_DOCKER_7; dclint
``service-image-require-explicit-tag``; Polaris ``tagNotSpecified``. KICS has
no compose query for it.

Failing::

    services:
      cache:
        image: redis

Passing::

    services:
      cache:
        image: redis:7.4
"""

from __future__ import annotations

from collections.abc import Iterator

from komodo_guard.rules.compose.common import StackIndex, at, image_name
from komodo_guard.rules.interface import (
    FailureClass,
    Finding,
    RuleInfo,
    RuleOptions,
    Severity,
)
from komodo_guard.workspace.compose import ComposeFile
from komodo_guard.workspace.model import Workspace

AUTO_UPDATE_KEYS = ("auto_update", "poll_for_updates")


def check(
    rule: RuleInfo, workspace: Workspace, options: RuleOptions
) -> Iterator[Finding]:
    """One finding per service image that floats."""
    stacks = StackIndex(workspace)
    for compose in workspace.compose_files:
        if _updates_itself(stacks, compose):
            continue
        for name, service in compose.services():
            image = service.get("image")
            if not isinstance(image, str) or "$" in image or "build" in service:
                continue
            repository, tag, digest = image_name(image.strip())
            if digest or (tag and tag != "latest"):
                continue
            shown = f"`{tag}`" if tag else "no tag (so `latest`)"
            yield rule.finding(
                f"service `{name}` uses image `{repository}` with {shown}: each "
                "pull may bring a different version",
                location=at(compose, ("services", name, "image"), value=True),
                hint=f"pin a version, e.g. `{repository}:<version>` (or add "
                "`@sha256:<digest>`), or set `poll_for_updates = true` / "
                "`auto_update = true` on the stack if following the tag is "
                "intended",
            )


def _updates_itself(stacks: StackIndex, compose: ComposeFile) -> bool:
    """True when every Stack deploying the file polls for or applies updates."""
    deploying = [stack for _, stack in stacks.deploying(compose)]
    return bool(deploying) and all(
        any(stack.config.get(key) is True for key in AUTO_UPDATE_KEYS)
        for stack in deploying
    )


RULE = RuleInfo(
    code="KG806",
    name="image-latest",
    severity=Severity.WARNING,
    failure_class=FailureClass.LIFECYCLE,
    doc=__doc__ or "",
    checker=check,
)
