"""``github-secret``: a GitHub Actions secret, which exists or does not.

GitHub never gives a secret's value back, so this place cannot be compared:
the cell says whether the secret exists and when it was last updated
(``GET /repos/{owner}/{repo}/actions/secrets/{name}``, or
``/orgs/{org}/actions/secrets/{name}``, or an environment's secret). The
token comes from the environment variable named by ``token_env`` (default
``GITHUB_TOKEN``) and needs read access to the repository's (or
organisation's) secrets; the API's base URL is ``[secrets] github_api``
(default ``https://api.github.com``, or a GitHub Enterprise Server's
``https://HOST/api/v3``).

    [[secrets.secret.places]]
    kind = "github-secret"
    repo = "acme/homelab"            # or org = "acme"
    name = "KOMODO_WEBHOOK_SECRET"
    environment = "production"       # optional, with repo only
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, ClassVar, Self
from urllib.parse import quote

import httpx

from komodo_guard.secrets.places.interface import (
    Absent,
    Context,
    Present,
    Reading,
    StoreError,
    Table,
)

DEFAULT_TOKEN_ENV = "GITHUB_TOKEN"
API_VERSION = "2022-11-28"


@dataclass(frozen=True)
class GithubSecretPlace:
    """An Actions secret of a repository, an environment or an organisation."""

    kind: ClassVar[str] = "github-secret"
    keys: ClassVar[tuple[str, ...]] = (
        "repo",
        "org",
        "environment",
        "name",
        "token_env",
    )
    owner: str
    name: str
    org: bool = False
    environment: str | None = None
    token_env: str = DEFAULT_TOKEN_ENV
    source: bool = False

    @property
    def store(self) -> str:
        scope = f"org {self.owner}" if self.org else self.owner
        return f"GitHub {scope}" + (
            f" ({self.environment})" if self.environment else ""
        )

    @property
    def label(self) -> str:
        return f"{self.store}: {self.name}"

    @property
    def endpoint(self) -> str:
        """The API path of the secret."""
        name = quote(self.name, safe="")
        if self.org:
            return f"/orgs/{quote(self.owner, safe='')}/actions/secrets/{name}"
        owner, repo = (quote(part, safe="") for part in self.owner.split("/", 1))
        if self.environment:
            env = quote(self.environment, safe="")
            return f"/repos/{owner}/{repo}/environments/{env}/secrets/{name}"
        return f"/repos/{owner}/{repo}/actions/secrets/{name}"

    @classmethod
    def from_table(cls, table: Table) -> Self:
        if ("repo" in table.data) == ("org" in table.data):
            raise table.fail(None, "needs exactly one of `repo` and `org`")
        org = "org" in table.data
        owner = table.text("org" if org else "repo")
        if not org and owner.count("/") != 1:
            raise table.fail("repo", 'must be "owner/name"')
        environment = table.text("environment") if "environment" in table.data else None
        if org and environment:
            raise table.fail("environment", "needs `repo`, not `org`")
        return cls(
            owner=owner,
            name=table.text("name"),
            org=org,
            environment=environment,
            token_env=table.text("token_env", DEFAULT_TOKEN_ENV),
            source=table.flag("source"),
        )

    def read(self, context: Context) -> Reading:
        token = context.environ.get(self.token_env, "")
        if not token:
            raise StoreError(
                f"{self.token_env} is not set: export a GitHub token that can read "
                f"the Actions secrets of {self.owner}"
            )
        response = _get(context, self.endpoint, token)
        if response.status_code == 404:
            return Absent(
                f"GitHub has no secret {self.name} in {self.owner} (or the token "
                "cannot see it)"
            )
        if response.status_code in (401, 403):
            raise StoreError(
                f"GitHub refused the token from {self.token_env} "
                f"(HTTP {response.status_code}): it needs read access to secrets"
            )
        if response.status_code != 200:
            raise StoreError(f"GET {self.endpoint}: HTTP {response.status_code}")
        return Present(_updated(response, self.endpoint))


def _get(context: Context, endpoint: str, token: str) -> httpx.Response:
    headers = {
        "Accept": "application/vnd.github+json",
        "Authorization": f"Bearer {token}",
        "X-GitHub-Api-Version": API_VERSION,
    }
    url = context.github_api.rstrip("/") + endpoint
    try:
        return httpx.get(url, headers=headers, timeout=context.timeout)
    except httpx.TimeoutException:
        raise StoreError(f"GET {url}: no answer within {context.timeout:g} s") from None
    except httpx.TransportError as error:
        raise StoreError(f"GET {url}: cannot reach GitHub: {error}") from None


def _updated(response: httpx.Response, endpoint: str) -> datetime | None:
    try:
        body: Any = response.json()
    except ValueError:
        raise StoreError(f"GET {endpoint}: the answer is not JSON") from None
    stamp = body.get("updated_at") if isinstance(body, dict) else None
    if not isinstance(stamp, str):
        return None
    try:
        return datetime.fromisoformat(stamp)
    except ValueError:
        return None
