"""The catalog: every Komodo declaration the model knows, listed by hand.

Each kind has its own module; executions and enums have one each. Nothing here
is read from a file at run time.
"""

from komodo_guard.komodo.catalog.action import ACTION
from komodo_guard.komodo.catalog.alerter import ALERTER
from komodo_guard.komodo.catalog.build import BUILD
from komodo_guard.komodo.catalog.builder import BUILDER
from komodo_guard.komodo.catalog.common import COMMON_FIELDS
from komodo_guard.komodo.catalog.deployment import DEPLOYMENT
from komodo_guard.komodo.catalog.enums import ENUMS
from komodo_guard.komodo.catalog.executions import EXECUTIONS
from komodo_guard.komodo.catalog.procedure import PROCEDURE
from komodo_guard.komodo.catalog.repo import REPO
from komodo_guard.komodo.catalog.resource_sync import RESOURCE_SYNC
from komodo_guard.komodo.catalog.server import SERVER
from komodo_guard.komodo.catalog.server_template import SERVER_TEMPLATE
from komodo_guard.komodo.catalog.stack import STACK
from komodo_guard.komodo.catalog.swarm import SWARM
from komodo_guard.komodo.catalog.user_group import USER_GROUP
from komodo_guard.komodo.catalog.variable import VARIABLE
from komodo_guard.komodo.decl import KindDecl

# In the order of Komodo's ``ResourcesToml`` struct.
KINDS: tuple[KindDecl, ...] = (
    SWARM,
    SERVER,
    STACK,
    DEPLOYMENT,
    BUILD,
    REPO,
    PROCEDURE,
    ACTION,
    ALERTER,
    BUILDER,
    SERVER_TEMPLATE,
    RESOURCE_SYNC,
    USER_GROUP,
    VARIABLE,
)

# The enum whose values are the alert types (``AlertData`` variants).
ALERT_TYPES_ENUM = "AlertDataVariant"
# The enum listing execution names; derived from ``EXECUTIONS``, not declared.
EXECUTION_VARIANT_ENUM = "ExecutionVariant"

__all__ = [
    "ALERT_TYPES_ENUM",
    "COMMON_FIELDS",
    "ENUMS",
    "EXECUTIONS",
    "EXECUTION_VARIANT_ENUM",
    "KINDS",
]
