"""Failed Updates as Komodo records them, one per incident kind and per
precedence question, with the kind and evidence the classifier must give.

Stage names and Komodo's own messages follow moghtech/komodo (lib/git/src,
bin/periphery/src/api/compose.rs, bin/periphery/src/stack/mod.rs,
bin/core/src/api/execute/*.rs, bin/core/src/sync/*.rs); Komodo colours its
own lines with HTML spans (lib/formatting/src/lib.rs), reproduced here. Tool
output is what git, Docker and the databases print.
"""

from __future__ import annotations

from dataclasses import dataclass

from komodo_guard.history.model import IncidentKind as K
from komodo_guard.komodo.updates import Log, Target, Update

# Credentials planted in logs: none may reach a Failure.
SECRETS = (
    "glpat-Xy7Qp2Lm9Rt4Vb8Nc3Kd",
    "S3cr3tRootPassw0rd",
    "ghp_4fJ8sK2mQ9xL1vB7nR3tW6yZ0aC5dE8gH1jK",
    "r3d1s-Passw0rd-42",
)

ERROR = '<span style="color: var(--mantine-color-red-6)">ERROR</span>'
INFO = '<span style="color: var(--mantine-color-dimmed)">INFO</span>'


def bold(text: str) -> str:
    return f'<span style="font-weight: bolder">{text}</span>'


def serror(error: str, *trace: str) -> str:
    """Komodo's ``format_serror``: the error, then its numbered trace."""
    text = f"{ERROR}: {error}"
    if trace:
        text += '\n\n<span style="color: var(--mantine-color-dimmed)">TRACE</span>:'
        for index, line in enumerate(trace, 1):
            number = f'<span style="color: var(--mantine-color-dimmed)">{index}</span>'
            text += f"\n\t{number}: {line}"
    return text


def ok(stage: str, command: str = "", stdout: str = "", stderr: str = "") -> Log:
    return Log(stage, command, stdout, stderr, True)


def failed(stage: str, command: str = "", stdout: str = "", stderr: str = "") -> Log:
    return Log(stage, command, stdout, stderr, False)


TARGETS = {
    "Stack": "66a1f0c2e4b5a6c7d8e9f001",
    "Deployment": "66a1f0c2e4b5a6c7d8e9f002",
    "ResourceSync": "66a1f0c2e4b5a6c7d8e9f003",
    "Procedure": "66a1f0c2e4b5a6c7d8e9f004",
    "Action": "66a1f0c2e4b5a6c7d8e9f005",
    "Build": "66a1f0c2e4b5a6c7d8e9f006",
    "Repo": "66a1f0c2e4b5a6c7d8e9f007",
}


def failure(operation: str, kind: str, name: str, *logs: Log) -> Update:
    return Update(
        id=f"upd-{operation}-{name}",
        operation=operation,
        start_ts=1_764_000_000_000,
        success=False,
        status="Complete",
        username="Git Webhook",
        operator="000000000000000000000003",
        target=Target(kind, TARGETS[kind], name),
        end_ts=1_764_000_042_000,
        logs=logs,
    )


REMOTE = ok(
    "Set Git Remote",
    "git remote set-url origin https://token:<TOKEN>@github.com/acme/homelab.git",
)
CHECKOUT = ok(
    "Checkout branch",
    "git checkout -f main",
    stderr="Already on 'main'\nYour branch is up to date with 'origin/main'.",
)


@dataclass(frozen=True)
class Case:
    """A failed update and what the classifier must say about it."""

    update: Update
    kind: K
    evidence: str


CASES: dict[str, Case] = {
    "git-pull-blocked/untracked": Case(
        failure(
            "DeployStack",
            "Stack",
            "mealie",
            REMOTE,
            CHECKOUT,
            failed(
                "Git pull",
                "git pull --rebase --force origin main",
                stderr=(
                    "From https://github.com/acme/homelab\n"
                    " * branch            main       -> FETCH_HEAD\n"
                    "   3f2c1aa..9be41d0  main       -> origin/main\n"
                    "error: The following untracked working tree files would be "
                    "overwritten by checkout:\n"
                    "\tstacks/mealie/compose.override.yaml\n"
                    "Please move or remove them before you switch branches.\n"
                    "Aborting\n"
                    "error: could not detach HEAD"
                ),
            ),
        ),
        K.GIT_PULL_BLOCKED,
        "Git pull: error: The following untracked working tree files would be "
        "overwritten by checkout: stacks/mealie/compose.override.yaml",
    ),
    "git-pull-blocked/local-changes": Case(
        failure(
            "PullStack",
            "Stack",
            "immich",
            REMOTE,
            CHECKOUT,
            failed(
                "Git pull",
                "git pull --force origin main",
                stderr=(
                    "From https://github.com/acme/homelab\n"
                    " * branch            main       -> FETCH_HEAD\n"
                    "Updating 3f2c1aa..9be41d0\n"
                    "error: Your local changes to the following files would be "
                    "overwritten by merge:\n"
                    "\tstacks/immich/hwaccel.yml\n"
                    "Please commit your changes or stash them before you merge.\n"
                    "Aborting"
                ),
            ),
        ),
        K.GIT_PULL_BLOCKED,
        "Git pull: error: Your local changes to the following files would be "
        "overwritten by merge: stacks/immich/hwaccel.yml",
    ),
    "git/authentication": Case(
        failure(
            "DeployStack",
            "Stack",
            "paperless",
            failed(
                "Clone Repo",
                "git clone https://token:<TOKEN>@github.com/acme/homelab.git "
                "/etc/komodo/stacks/paperless -b main",
                stderr=(
                    "Cloning into '/etc/komodo/stacks/paperless'...\n"
                    "remote: Invalid username or token. Password authentication "
                    "is not supported for Git operations.\n"
                    "fatal: Authentication failed for "
                    "'https://github.com/acme/homelab.git/'"
                ),
            ),
        ),
        K.GIT,
        "Clone Repo: fatal: Authentication failed for "
        "'https://github.com/acme/homelab.git/'",
    ),
    "git/no-username": Case(
        failure(
            "CloneRepo",
            "Repo",
            "homelab",
            failed(
                "Clone Repo",
                "git clone https://github.com/acme/private-configs.git "
                "/etc/komodo/repos/homelab -b main",
                stderr=(
                    "Cloning into '/etc/komodo/repos/homelab'...\n"
                    "fatal: could not read Username for 'https://github.com': "
                    "No such device or address"
                ),
            ),
        ),
        K.GIT,
        "Clone Repo: fatal: could not read Username for 'https://github.com': "
        "No such device or address",
    ),
    "git/missing-branch": Case(
        failure(
            "PullRepo",
            "Repo",
            "homelab",
            REMOTE,
            ok("Checkout branch", "git checkout -f feature/new-layout"),
            failed(
                "Git pull",
                "git pull --rebase --force origin feature/new-layout",
                stderr="fatal: couldn't find remote ref feature/new-layout",
            ),
        ),
        K.GIT,
        "Git pull: fatal: couldn't find remote ref feature/new-layout",
    ),
    "registry-auth/login": Case(
        failure(
            "DeployStack",
            "Stack",
            "api",
            failed(
                "Login to Registry",
                stderr=serror(
                    "Failed to login to image registry",
                    "Domain: 'ghcr.io' | Account: 'acme-bot'",
                    'Error response from daemon: Get "https://ghcr.io/v2/": '
                    "denied: denied",
                ),
            ),
        ),
        K.REGISTRY_AUTH,
        "Login to Registry: ERROR: Failed to login to image registry",
    ),
    "registry-auth/compose-pull": Case(
        failure(
            "PullStack",
            "Stack",
            "api",
            failed(
                "Compose Pull",
                "docker compose -p api -f compose.yaml --env-file .env pull",
                stderr=(
                    " api Pulling \n"
                    " api Error unauthorized: authentication required\n"
                    "Error response from daemon: unauthorized: authentication "
                    "required"
                ),
            ),
        ),
        K.REGISTRY_AUTH,
        "Compose Pull: api Error unauthorized: authentication required",
    ),
    "registry-auth/no-basic-auth": Case(
        failure(
            "Deploy",
            "Deployment",
            "worker",
            failed(
                "Docker Run",
                "docker run -d --name worker --network host "
                "registry.example.com/acme/worker:2.1",
                stderr=(
                    "Unable to find image 'registry.example.com/acme/worker:2.1' "
                    "locally\n"
                    'docker: Error response from daemon: Head "https://'
                    'registry.example.com/v2/acme/worker/manifests/2.1": '
                    "no basic auth credentials.\n"
                    "See 'docker run --help'."
                ),
            ),
        ),
        K.REGISTRY_AUTH,
        'Docker Run: docker: Error response from daemon: Head "https://'
        'registry.example.com/v2/acme/worker/manifests/2.1": no basic auth '
        "credentials.",
    ),
    "image-pull/manifest-unknown": Case(
        failure(
            "DeployStack",
            "Stack",
            "mealie",
            failed(
                "Compose Pull",
                "docker compose -p mealie -f compose.yaml --env-file .env pull",
                stderr=(
                    " mealie Pulling \n"
                    " mealie Error manifest for ghcr.io/mealie-recipes/mealie:v3.9.9 "
                    "not found: manifest unknown: manifest unknown\n"
                    "Error response from daemon: manifest for "
                    "ghcr.io/mealie-recipes/mealie:v3.9.9 not found: manifest "
                    "unknown: manifest unknown"
                ),
            ),
        ),
        K.IMAGE_PULL,
        "Compose Pull: mealie Error manifest for "
        "ghcr.io/mealie-recipes/mealie:v3.9.9 not found: manifest unknown: "
        "manifest unknown",
    ),
    "image-pull/rate-limit": Case(
        failure(
            "DeployStack",
            "Stack",
            "nextcloud",
            failed(
                "Compose Up",
                "docker compose -p nextcloud -f compose.yaml up -d",
                stderr=(
                    " db Pulling \n"
                    " db Error toomanyrequests: You have reached your pull rate "
                    "limit. You may increase the limit by authenticating and "
                    "upgrading: https://www.docker.com/increase-rate-limit\n"
                    "Error response from daemon: toomanyrequests: You have reached "
                    "your pull rate limit."
                ),
            ),
        ),
        K.IMAGE_PULL,
        "Compose Up: db Error toomanyrequests: You have reached your pull rate "
        "limit. You may increase the limit by authenticating and upgrading: "
        "https://www.docker.com…",
    ),
    "image-pull/docker-hub-denied": Case(
        failure(
            "DeployStack",
            "Stack",
            "homeassistant",
            failed(
                "Compose Up",
                "docker compose -p homeassistant -f compose.yaml up -d",
                stderr=(
                    " zigbee2mqtt Pulling \n"
                    " zigbee2mqtt Error pull access denied for koenkk/zigbe2mqtt, "
                    "repository does not exist or may require 'docker login': "
                    "denied: requested access to the resource is denied"
                ),
            ),
        ),
        K.IMAGE_PULL,
        "Compose Up: zigbee2mqtt Error pull access denied for koenkk/zigbe2mqtt, "
        "repository does not exist or may require 'docker login': denied: "
        "requested access to th…",
    ),
    "database-auth/postgres-in-post-deploy": Case(
        failure(
            "DeployStack",
            "Stack",
            "paperless",
            ok("Compose Up", "docker compose -p paperless up -d"),
            failed(
                "Post Deploy",
                "docker exec paperless-webserver-1 python3 manage.py migrate",
                stderr=(
                    "Traceback (most recent call last):\n"
                    '  File "/usr/src/paperless/src/manage.py", line 10, in <module>\n'
                    "django.db.utils.OperationalError: connection failed: "
                    'connection to server at "172.20.0.3", port 5432 failed: '
                    'FATAL:  password authentication failed for user "paperless"'
                ),
            ),
        ),
        K.DATABASE_AUTH,
        "Post Deploy: …ionalError: connection failed: connection to server at "
        '"172.20.0.3", port 5432 failed: FATAL: password authentication failed for '
        'user "paperless"',
    ),
    "database-auth/mysql-in-pre-deploy": Case(
        failure(
            "DeployStack",
            "Stack",
            "nextcloud",
            failed(
                "Pre Deploy",
                f"mysqldump -h 127.0.0.1 -u root -p{SECRETS[1]} nextcloud "
                "> /srv/backup/nextcloud.sql",
                stderr=(
                    "mysqldump: Got error: 1045: Access denied for user "
                    "'root'@'172.18.0.1' (using password: YES) when trying to "
                    "connect"
                ),
            ),
        ),
        K.DATABASE_AUTH,
        "Pre Deploy: mysqldump: Got error: 1045: Access denied for user "
        "'root'@'172.18.0.1' (using password: YES) when trying to connect",
    ),
    "database-auth/mongo": Case(
        failure(
            "Deploy",
            "Deployment",
            "unifi",
            failed(
                "Docker Run",
                "docker run -d --name unifi --network unifi "
                "lscr.io/linuxserver/unifi-network-application:9.0.114",
                stdout="b6f1c0d2a9e8",
                stderr=(
                    "MongoServerError: Authentication failed.\n"
                    "  code: 18, codeName: 'AuthenticationFailed'"
                ),
            ),
        ),
        K.DATABASE_AUTH,
        "Docker Run: MongoServerError: Authentication failed.",
    ),
    "database-auth/redis": Case(
        failure(
            "DeployStack",
            "Stack",
            "paperless",
            ok("Compose Up", "docker compose -p paperless up -d"),
            failed(
                "Post Deploy",
                f"docker exec paperless-broker-1 redis-cli -a {SECRETS[3]} ping",
                stderr=(
                    "Warning: Using a password with '-a' or '-u' option on the "
                    "command line interface may not be safe.\n"
                    "AUTH failed: WRONGPASS invalid username-password pair or user "
                    "is disabled."
                ),
            ),
        ),
        K.DATABASE_AUTH,
        "Post Deploy: AUTH failed: WRONGPASS invalid username-password pair or "
        "user is disabled.",
    ),
    "missing-files/validate": Case(
        failure(
            "DeployStack",
            "Stack",
            "immich",
            REMOTE,
            CHECKOUT,
            ok("Git pull", "git pull --rebase --force origin main"),
            failed(
                "Validate Files",
                stderr=serror(
                    "A file doesn't exist after writing stack.",
                    "Ensure the run_directory and all file paths are correct.",
                    "Missing files: compose.yaml, hwaccel.transcoding.yml",
                ),
            ),
        ),
        K.MISSING_FILES,
        "Validate Files: 2: Missing files: compose.yaml, hwaccel.transcoding.yml",
    ),
    "missing-files/env-file": Case(
        failure(
            "DeployStack",
            "Stack",
            "immich",
            failed(
                "Compose Config",
                "docker compose -p immich -f docker-compose.yml --env-file .env config",
                stderr=(
                    "env file /etc/komodo/stacks/immich/stack.env not found: stat "
                    "/etc/komodo/stacks/immich/stack.env: no such file or directory"
                ),
            ),
        ),
        K.MISSING_FILES,
        "Compose Config: env file /etc/komodo/stacks/immich/stack.env not found: "
        "stat /etc/komodo/stacks/immich/stack.env: no such file or directory",
    ),
    "pre-deploy": Case(
        failure(
            "DeployStack",
            "Stack",
            "vaultwarden",
            failed(
                "Pre Deploy",
                "sh ./scripts/backup.sh",
                stdout="Starting backup of /srv/vaultwarden/data",
                stderr="./scripts/backup.sh: line 4: restic: command not found",
            ),
        ),
        K.PRE_DEPLOY,
        "Pre Deploy: ./scripts/backup.sh: line 4: restic: command not found",
    ),
    "post-deploy": Case(
        failure(
            "DeployStack",
            "Stack",
            "traefik",
            ok("Compose Up", "docker compose -p traefik up -d"),
            failed(
                "Post Deploy",
                "curl -fsS http://localhost:8080/ping",
                stderr=(
                    "curl: (7) Failed to connect to localhost port 8080 after 0 ms: "
                    "Couldn't connect to server"
                ),
            ),
        ),
        K.POST_DEPLOY,
        "Post Deploy: curl: (7) Failed to connect to localhost port 8080 after "
        "0 ms: Couldn't connect to server",
    ),
    "compose/port-allocated": Case(
        failure(
            "DeployStack",
            "Stack",
            "traefik",
            failed(
                "Compose Up",
                "docker compose -p traefik -f compose.yaml up -d",
                stderr=(
                    " Container traefik-traefik-1  Recreate\n"
                    " Container traefik-traefik-1  Starting\n"
                    "Error response from daemon: driver failed programming "
                    "external connectivity on endpoint traefik-traefik-1: "
                    "Bind for 0.0.0.0:443 failed: port is already allocated"
                ),
            ),
        ),
        K.COMPOSE,
        "Compose Up: …from daemon: driver failed programming external connectivity "
        "on endpoint traefik-traefik-1: Bind for 0.0.0.0:443 failed: port is "
        "already allocated",
    ),
    "compose/yaml": Case(
        failure(
            "DeployStack",
            "Stack",
            "gitea",
            failed(
                "Compose Config",
                "docker compose -p gitea -f compose.yaml config",
                stderr="yaml: line 14: mapping values are not allowed in this context",
            ),
        ),
        K.COMPOSE,
        "Compose Config: yaml: line 14: mapping values are not allowed in this context",
    ),
    "compose/additional-property": Case(
        failure(
            "DeployStack",
            "Stack",
            "vaultwarden",
            failed(
                "Compose Config",
                "docker compose -p vaultwarden -f compose.yaml config",
                stderr=(
                    "validating /etc/komodo/stacks/vaultwarden/compose.yaml: "
                    "services.vaultwarden Additional property enviroment is not "
                    "allowed"
                ),
            ),
        ),
        K.COMPOSE,
        "Compose Config: validating /etc/komodo/stacks/vaultwarden/compose.yaml: "
        "services.vaultwarden Additional property enviroment is not allowed",
    ),
    "compose/unhealthy": Case(
        failure(
            "DeployStack",
            "Stack",
            "immich",
            failed(
                "Compose Up",
                "docker compose -p immich -f docker-compose.yml up -d",
                stderr=(
                    " Container immich_postgres  Waiting\n"
                    " Container immich_postgres  Error\n"
                    "dependency failed to start: container immich_postgres is "
                    "unhealthy"
                ),
            ),
        ),
        K.COMPOSE,
        "Compose Up: dependency failed to start: container immich_postgres is "
        "unhealthy",
    ),
    "sync/missing-path": Case(
        failure(
            "RunSync",
            "ResourceSync",
            "homelab",
            failed(
                "Read remote resources",
                stderr=(
                    f'{INFO}: reading resources from "/repo-cache/github/'
                    'acme-homelab/main/latest/komodo"'
                    f"{ERROR}: Resoure path {bold('komodo')} does not exist."
                ),
            ),
            failed(
                "Task Error",
                stderr=serror("Found file errors. Cannot execute sync."),
            ),
        ),
        K.SYNC,
        'Read remote resources: INFO: reading resources from "/repo-cache/github/'
        'acme-homelab/main/latest/komodo"ERROR: Resoure path komodo does not '
        "exist.",
    ),
    "sync/update-failed": Case(
        failure(
            "RunSync",
            "ResourceSync",
            "homelab",
            failed(
                "Update Stacks",
                stderr=(
                    f"{INFO}: updated Stack {bold('traefik')} configuration\n"
                    f"{ERROR}: failed to update config on Stack "
                    f"{bold('mealie')} | Stack busy"
                ),
            ),
        ),
        K.SYNC,
        "Update Stacks: ERROR: failed to update config on Stack mealie | Stack busy",
    ),
    "procedure": Case(
        failure(
            "RunProcedure",
            "Procedure",
            "nightly-redeploy",
            ok(
                "Execute procedure",
                stdout=f"{INFO}: executing procedure {bold('nightly-redeploy')}",
            ),
            failed(
                "Execution error",
                stderr=serror(
                    f"Failed stage '{bold('deploy')}' execution after 41.2s",
                    f'{ERROR}: Failed on DeployStack(DeployStack {{ stack: "mealie",'
                    " services: [] })",
                    f"{ERROR}: Execution not successful, see update: "
                    "'https://komodo.example.com/updates/66b0f1a2c3d4e5f60718293a'",
                ),
            ),
        ),
        K.PROCEDURE,
        "Execution error: ERROR: Failed stage 'deploy' execution after 41.2s",
    ),
    "other/server-not-connected": Case(
        failure(
            "DeployStack",
            "Stack",
            "jellyfin",
            failed(
                "Task Error",
                stderr=serror("Server 66b1e0c5f1a2b3c4d5e6f708 is not connected"),
            ),
        ),
        K.OTHER,
        "Task Error: ERROR: Server 66b1e0c5f1a2b3c4d5e6f708 is not connected",
    ),
    "other/build": Case(
        failure(
            "RunBuild",
            "Build",
            "api",
            ok("Clone Repo", "git clone https://github.com/acme/api.git"),
            failed(
                "Build Error",
                stderr=serror(
                    "Failed to build",
                    'failed to solve: process "/bin/sh -c npm ci" did not complete '
                    "successfully: exit code: 1",
                ),
            ),
        ),
        K.OTHER,
        "Build Error: ERROR: Failed to build",
    ),
}

# Questions of precedence: the more precise cause wins.
PRECEDENCE_CASES: dict[str, Case] = {
    "git token in a sync's repo beats the sync": Case(
        failure(
            "RunSync",
            "ResourceSync",
            "homelab",
            failed(
                "Git Fetch",
                "git fetch --all --prune",
                stderr=(
                    f"fatal: unable to access 'https://oauth2:{SECRETS[0]}@"
                    "gitlab.example.com/acme/homelab.git/': Could not resolve "
                    "host: gitlab.example.com"
                ),
            ),
            failed(
                "Task Error",
                stderr=serror("Found file errors. Cannot execute sync."),
            ),
        ),
        K.GIT,
        "Git Fetch: fatal: unable to access 'https://***@gitlab.example.com/"
        "acme/homelab.git/': Could not resolve host: gitlab.example.com",
    ),
    "a missing script in pre-deploy is a pre-deploy failure": Case(
        failure(
            "DeployStack",
            "Stack",
            "vaultwarden",
            failed(
                "Pre Deploy",
                "./scripts/prepare.sh",
                stderr="sh: ./scripts/prepare.sh: No such file or directory",
            ),
        ),
        K.PRE_DEPLOY,
        "Pre Deploy: sh: ./scripts/prepare.sh: No such file or directory",
    ),
    "curl's unknown host in post-deploy is not git": Case(
        failure(
            "DeployStack",
            "Stack",
            "uptime",
            ok("Compose Up", "docker compose -p uptime up -d"),
            failed(
                "Post Deploy",
                "curl -fsS https://hc-ping.example.org/abc",
                stderr="curl: (6) Could not resolve host: hc-ping.example.org",
            ),
        ),
        K.POST_DEPLOY,
        "Post Deploy: curl: (6) Could not resolve host: hc-ping.example.org",
    ),
    "an action's database error is still the action's failure": Case(
        failure(
            "RunAction",
            "Action",
            "prune-db",
            failed(
                "Execute Action",
                "deno run --allow-all /action-cache/prune.ts",
                stderr=(
                    "error: Uncaught (in promise) PostgresError: password "
                    'authentication failed for user "komodo"'
                ),
            ),
        ),
        K.PROCEDURE,
        "Execute Action: error: Uncaught (in promise) PostgresError: password "
        'authentication failed for user "komodo"',
    ),
    "stdout is read when stderr says nothing": Case(
        failure(
            "DeployStack",
            "Stack",
            "nextcloud",
            failed(
                "Compose Up",
                "docker compose -p nextcloud up -d",
                stdout=(
                    "Waiting for database...\n"
                    "SQLSTATE[HY000] [1045] Access denied for user 'nextcloud'@"
                    "'172.19.0.4' (using password: YES)"
                ),
                stderr=" Container nextcloud-app-1  Started",
            ),
        ),
        K.DATABASE_AUTH,
        "Compose Up: SQLSTATE[HY000] [1045] Access denied for user 'nextcloud'@"
        "'172.19.0.4' (using password: YES)",
    ),
    "a failed stage with a token in its command keeps the token out": Case(
        failure(
            "DeployStack",
            "Stack",
            "home",
            failed(
                "Git pull",
                f"git pull https://x-access-token:{SECRETS[2]}@github.com/acme/home",
                stdout="",
                stderr="",
            ),
        ),
        K.GIT,
        "Git pull: git pull https://***@github.com/acme/home",
    ),
}
