"""Every kind of place a secret can be kept in, by the name the map uses."""

from collections.abc import Mapping
from types import MappingProxyType

from komodo_guard.secrets.places.container import ContainerPlace
from komodo_guard.secrets.places.core_config import CoreConfigPlace
from komodo_guard.secrets.places.envfile import EnvFilePlace
from komodo_guard.secrets.places.github import GithubSecretPlace
from komodo_guard.secrets.places.interface import Place
from komodo_guard.secrets.places.komodo_variable import KomodoVariablePlace
from komodo_guard.secrets.places.mongodb import MongoUserPlace
from komodo_guard.secrets.places.postgres import PostgresUserPlace
from komodo_guard.secrets.places.sops import SopsPlace

PLACE_TYPES: Mapping[str, type[Place]] = MappingProxyType(
    {
        SopsPlace.kind: SopsPlace,
        EnvFilePlace.kind: EnvFilePlace,
        ContainerPlace.kind: ContainerPlace,
        KomodoVariablePlace.kind: KomodoVariablePlace,
        MongoUserPlace.kind: MongoUserPlace,
        PostgresUserPlace.kind: PostgresUserPlace,
        GithubSecretPlace.kind: GithubSecretPlace,
        CoreConfigPlace.kind: CoreConfigPlace,
    }
)
"""Place kinds by the ``kind`` written in the map, in documentation order."""
