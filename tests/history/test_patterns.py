"""The pattern table: every row matches real text, and the table is consistent."""

from __future__ import annotations

import re

import pytest

from komodo_guard.history.classify import classify
from komodo_guard.history.model import IncidentKind as K
from komodo_guard.history.patterns import (
    OPERATION_KIND,
    PATTERNS,
    PRECEDENCE,
    Field,
    Pattern,
)
from komodo_guard.komodo.updates import Log, Target, Update

# (field, stage, value, kind): one line each tool or Komodo really prints.
SAMPLES: list[tuple[Field, str, str, K]] = [
    (Field.TEXT, "Git pull", "error: The following untracked working tree files "
     "would be removed by checkout:", K.GIT_PULL_BLOCKED),
    (Field.TEXT, "Git pull", "error: Your local changes to the following files "
     "would be overwritten by merge:", K.GIT_PULL_BLOCKED),
    (Field.TEXT, "Git pull", "error: cannot pull with rebase: You have unstaged "
     "changes.", K.GIT_PULL_BLOCKED),
    (Field.TEXT, "Clone Repo", "fatal: Authentication failed for "
     "'https://github.com/acme/x.git/'", K.GIT),
    (Field.TEXT, "Clone Repo", "fatal: could not read Password for "
     "'https://bot@github.com': terminal prompts disabled", K.GIT),
    (Field.TEXT, "Task Error", "fatal: unable to access 'https://git.example.org/"
     "a/b.git/': SSL certificate problem: self-signed certificate", K.GIT),
    (Field.TEXT, "Git Fetch", "ssh: Could not resolve host: github.com", K.GIT),
    (Field.TEXT, "Git pull", "fatal: couldn't find remote ref main", K.GIT),
    (Field.TEXT, "Clone Repo", "warning: Could not find remote branch dev to "
     "clone.\nfatal: Remote branch dev not found in upstream origin", K.GIT),
    (Field.TEXT, "Clone Repo", "remote: Repository not found.", K.GIT),
    (Field.TEXT, "Clone Repo", "git@github.com: Permission denied (publickey).",
     K.GIT),
    (Field.TEXT, "Git pull", "fatal: detected dubious ownership in repository at "
     "'/etc/komodo/stacks/x'", K.GIT),
    (Field.TEXT, "Task Error", "fatal: not a git repository (or any of the parent "
     "directories): .git", K.GIT),
    (Field.TEXT, "Task Error", "ERROR: Failed to get git token in call to db. "
     "Stopping run. | github.com | acme-bot", K.GIT),
    (Field.TEXT, "Write Stack", "ERROR: failed to find required git token, "
     "stopping run", K.GIT),
    (Field.TEXT, "Task Error", "ERROR: Repo clone / pull failed", K.GIT),
    (Field.STAGE, "Git Init", "", K.GIT),
    (Field.COMMAND, "Run", "git checkout -f main", K.GIT),
    (Field.TEXT, "Compose Pull", "Error response from daemon: unauthorized: "
     "authentication required", K.REGISTRY_AUTH),
    (Field.TEXT, "Login to Registry", "Error response from daemon: Get "
     '"https://registry.example.com/v2/": unauthorized: incorrect username or '
     "password", K.REGISTRY_AUTH),
    (Field.TEXT, "Docker Run", "no basic auth credentials", K.REGISTRY_AUTH),
    (Field.TEXT, "Build Error", "denied: requested access to the resource is "
     "denied", K.REGISTRY_AUTH),
    (Field.TEXT, "Task Error", "ERROR: Failed to login to image registry",
     K.REGISTRY_AUTH),
    (Field.TEXT, "Task Error", "ERROR: Failed to get registry token in call to db."
     " Stopping run. | ghcr.io | acme-bot", K.REGISTRY_AUTH),
    (Field.TEXT, "Compose Up", 'Error response from daemon: Head "https://ghcr.io/'
     'v2/acme/api/manifests/1.4": denied', K.REGISTRY_AUTH),
    (Field.STAGE, "Docker Login", "", K.REGISTRY_AUTH),
    (Field.TEXT, "Post Deploy", 'psql: error: FATAL:  password authentication '
     'failed for user "app"', K.DATABASE_AUTH),
    (Field.TEXT, "Pre Deploy", "ERROR 1045 (28000): Access denied for user "
     "'app'@'localhost' (using password: YES)", K.DATABASE_AUTH),
    (Field.TEXT, "Post Deploy", "MongoServerError: Authentication failed.",
     K.DATABASE_AUTH),
    (Field.TEXT, "Post Deploy", "SCRAM failure: Authentication failed",
     K.DATABASE_AUTH),
    (Field.TEXT, "Docker Run", "MongoServerError: bad auth\n  code: 18, codeName: "
     "'AuthenticationFailed'", K.DATABASE_AUTH),
    (Field.TEXT, "Post Deploy", "(error) WRONGPASS invalid username-password pair",
     K.DATABASE_AUTH),
    (Field.TEXT, "Post Deploy", "(error) NOAUTH Authentication required.",
     K.DATABASE_AUTH),
    (Field.STAGE, "Validate Files", "", K.MISSING_FILES),
    (Field.TEXT, "Task Error", "ERROR: Missing files: compose.yaml",
     K.MISSING_FILES),
    (Field.TEXT, "Compose Up", "ERROR: Missing compose file at compose.yaml",
     K.MISSING_FILES),
    (Field.TEXT, "Compose Up", "env file /srv/app/.env not found: stat "
     "/srv/app/.env: no such file or directory", K.MISSING_FILES),
    (Field.TEXT, "Compose Config", "couldn't find env file: /etc/komodo/stacks/"
     "app/.env", K.MISSING_FILES),
    (Field.TEXT, "Compose Config", "no configuration file provided: not found",
     K.MISSING_FILES),
    (Field.TEXT, "Compose Up", "Error response from daemon: invalid mount config "
     'for type "bind": bind source path does not exist: /srv/media',
     K.MISSING_FILES),
    (Field.TEXT, "Compose Up", "open /etc/komodo/stacks/app/compose.yaml: no such "
     "file or directory", K.MISSING_FILES),
    (Field.TEXT, "Compose Up", "Error response from daemon: pull access denied for"
     " acme/api, repository does not exist or may require 'docker login'",
     K.IMAGE_PULL),
    (Field.TEXT, "Compose Pull", "manifest unknown", K.IMAGE_PULL),
    (Field.TEXT, "Compose Pull", "toomanyrequests: Too Many Requests.",
     K.IMAGE_PULL),
    (Field.TEXT, "Compose Up", "no matching manifest for linux/arm64/v8 in the "
     "manifest list entries", K.IMAGE_PULL),
    (Field.TEXT, "Compose Pull", 'failed to resolve reference "ghcr.io/acme/'
     'api:1.4": not found', K.IMAGE_PULL),
    (Field.TEXT, "Compose Pull", 'Error response from daemon: Get "https://'
     'registry-1.docker.io/v2/": net/http: request canceled while waiting for '
     "connection", K.IMAGE_PULL),
    (Field.TEXT, "Compose Up", "error pulling image configuration: download "
     "failed after attempts=6: dial tcp: i/o timeout", K.IMAGE_PULL),
    (Field.STAGE, "Pull image", "", K.IMAGE_PULL),
    (Field.STAGE, "Pre Deploy", "", K.PRE_DEPLOY),
    (Field.STAGE, "Post Deploy", "", K.POST_DEPLOY),
    (Field.TEXT, "Compose Up", "Bind for 0.0.0.0:80 failed: port is already "
     "allocated", K.COMPOSE),
    (Field.TEXT, "Compose Up", "failed to bind port 0.0.0.0:53/udp: listen udp4 "
     "0.0.0.0:53: bind: address already in use", K.COMPOSE),
    (Field.TEXT, "Compose Config", "yaml: unmarshal errors:", K.COMPOSE),
    (Field.TEXT, "Compose Config", "yaml: line 3: did not find expected key",
     K.COMPOSE),
    (Field.TEXT, "Compose Config", "validating compose.yaml: services.app "
     "Additional property restart_policy is not allowed", K.COMPOSE),
    (Field.TEXT, "Compose Up", "dependency failed to start: container db exited "
     "(1)", K.COMPOSE),
    (Field.TEXT, "Compose Up", "container app-db-1 is unhealthy", K.COMPOSE),
    (Field.TEXT, "Compose Up", 'Error response from daemon: Conflict. The container'
     ' name "/grafana" is already in use by container "4f1c"', K.COMPOSE),
    (Field.TEXT, "Compose Config", 'invalid interpolation format for services.app'
     '.environment.PASS: "a${b". You may need to escape any $ with another $.',
     K.COMPOSE),
    (Field.TEXT, "Task Error", "ERROR: Failed to take down existing compose stack",
     K.COMPOSE),
    (Field.STAGE, "Compose Build", "", K.COMPOSE),
    (Field.TEXT, "Task Error", "ERROR: Found file errors. Cannot execute sync.",
     K.SYNC),
    (Field.TEXT, "Task Error", "ERROR: failed to read resources from "
     '"/syncs/homelab/resources.toml"', K.SYNC),
    (Field.TEXT, "Task Error", "failed to parse resource file contents", K.SYNC),
    (Field.TEXT, "Task Error", "TOML parse error at line 12, column 3", K.SYNC),
    (Field.TEXT, "Read remote resources", "ERROR: Resoure path stacks does not "
     "exist.", K.SYNC),
    (Field.TEXT, "Task Error", "ERROR: failed to get remote resources", K.SYNC),
    (Field.STAGE, "Sync Deploy", "", K.SYNC),
]  # fmt: skip


def _update(field: Field, stage: str, value: str) -> Update:
    log = Log(
        stage,
        value if field is Field.COMMAND else "",
        "",
        value if field is Field.TEXT else "",
        False,
    )
    target = Target("Stack", "66a1f0c2e4b5a6c7d8e9f0aa", "app")
    return Update("u", "DeployStack", 1, False, "Complete", "", "", target, logs=(log,))


@pytest.mark.parametrize(("field", "stage", "value", "kind"), SAMPLES)
def test_sample_gives_its_kind(field: Field, stage: str, value: str, kind: K) -> None:
    assert classify(_update(field, stage, value)).kind is kind


def _matches(row: Pattern, field: Field, stage: str, value: str) -> bool:
    text = stage if field is Field.STAGE else value
    if (
        row.field is not field
        or row.kind is not classify(_update(field, stage, value)).kind
    ):
        return False
    if row.stages is not None and not re.fullmatch(row.stages, stage, re.I):
        return False
    if field is Field.STAGE:
        return re.fullmatch(row.regex, text, re.I) is not None
    return re.search(row.regex, text) is not None


@pytest.mark.parametrize("row", PATTERNS, ids=lambda row: row.regex[:40])
def test_every_row_has_a_sample(row: Pattern) -> None:
    assert any(_matches(row, *sample[:3]) for sample in SAMPLES)


def test_precedence_orders_every_kind_once() -> None:
    assert sorted(PRECEDENCE) == sorted(K)
    assert len(PRECEDENCE) == len(K)


def test_every_kind_can_be_reached() -> None:
    reached = {row.kind for row in PATTERNS} | set(OPERATION_KIND.values())
    assert reached | {K.OTHER} == set(K)


def test_scoped_generic_text_only_counts_in_its_stages() -> None:
    update = _update(Field.TEXT, "Pre Deploy", "cat: /srv/x: No such file or directory")
    assert classify(update).kind is K.PRE_DEPLOY
