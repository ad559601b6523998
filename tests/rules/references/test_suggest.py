"""``did you mean`` by edit distance."""

from __future__ import annotations

from komodo_guard.rules.references.suggest import Suggester, closest, near_distance


def test_near_distance() -> None:
    assert near_distance("stack", "stakc") == 2
    assert near_distance("stack", "stock") == 1
    assert near_distance("stack", "stacks") == 1
    assert near_distance("stacks", "tack") == 2
    assert near_distance("sstack", "stack") == 1
    assert near_distance("abcx", "abc") == 1


def test_closest_ignores_case_and_rejects_far_words() -> None:
    assert closest("deploystack", ["DeployStack", "Deploy"]) == "DeployStack"
    assert closest("DeployStakc", ["DeployStack", "PullStack"]) == "DeployStack"
    assert closest("DeplyStack", ["DeployStack", "PullStack"]) == "DeployStack"
    assert closest("zzz", ["DeployStack"]) is None
    assert closest("x", []) is None


def test_nearest_wins_and_short_words_allow_one_edit() -> None:
    suggester = Suggester(["traefik", "traefik2", "db", "redis"])
    assert suggester.closest("treafik") == "traefik"
    assert suggester.closest("traefikk") == "traefik"
    assert suggester.closest("dc") == "db"
    assert suggester.closest("xy") is None


def test_many_queries_against_many_names() -> None:
    names = [f"service-{index}" for index in range(10_000)]
    suggester = Suggester(names)
    found = [suggester.closest(f"servcie-{index}") for index in range(10_000)]
    assert found[:3] == ["service-0", "service-1", "service-2"]
