"""A Deployment: one container (``entities/deployment.rs``)."""

from komodo_guard.komodo.catalog.common import (
    ENV_VARIABLE,
    PORT_OR_VOLUME,
    SWARM_AND_SERVER,
)
from komodo_guard.komodo.decl import kind
from komodo_guard.komodo.spec import (
    BOOL,
    ENUM,
    ENV_BLOCK,
    INT,
    NAME_OR_ID,
    STRING,
    STRING_ARRAY,
    STRING_LIST,
    TAGGED_ENUM,
    VERSION,
    field,
)

DEPLOYMENT = kind(
    "deployment",
    (
        *SWARM_AND_SERVER,
        field("custom_name", STRING, "", since="2.3.0"),
        field(
            "image",
            TAGGED_ENUM,
            {"type": "Image", "params": {"image": ""}},
            enum="DeploymentImage",
            variants={
                "Image": (field("image", STRING, ""),),
                "Build": (
                    field(
                        "build_id",
                        STRING,
                        "",
                        aliases=("build",),
                        export_name="build",
                        ref="build",
                        ref_by=NAME_OR_ID,
                    ),
                    field("version", VERSION, {"major": 0, "minor": 0, "patch": 0}),
                ),
            },
        ),
        field("image_registry_account", STRING, ""),
        field("skip_secret_interp", BOOL, False),
        field("redeploy_on_build", BOOL, False),
        field("poll_for_updates", BOOL, False),
        field("auto_update", BOOL, False),
        field("send_alerts", BOOL, True),
        field("links", STRING_ARRAY, []),
        field("network", STRING, "host"),
        field("restart", ENUM, "no", enum="RestartMode"),
        field("command", STRING, ""),
        field("replicas", INT, 1, since="2.0.0"),
        field("termination_signal", ENUM, "SIGTERM", enum="TerminationSignal"),
        field("termination_timeout", INT, 10),
        field("extra_args", STRING_LIST, []),
        field(
            "term_signal_labels",
            ENV_BLOCK,
            "",
            fields=(
                field("signal", ENUM, "SIGTERM", enum="TerminationSignal"),
                field("label", STRING, ""),
            ),
        ),
        field("ports", ENV_BLOCK, "", fields=PORT_OR_VOLUME),
        field("volumes", ENV_BLOCK, "", fields=PORT_OR_VOLUME),
        field("environment", ENV_BLOCK, "", fields=ENV_VARIABLE),
        field("labels", ENV_BLOCK, "", fields=ENV_VARIABLE),
    ),
    deploys=True,
)
