import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from komodo_guard.rules.compose.plaintext_secret import RULE, is_secret_key
from tests.conftest import TreeFactory
from tests.rules.lintkit import findings, hits

COMPOSE = (
    "services:\n"
    "  db:\n"
    "    image: postgres:16\n"
    "    environment:\n"
    "      POSTGRES_PASSWORD: hunter2hunter2\n"
    "      POSTGRES_PASSWORD_FILE: /run/secrets/pg\n"
    "      API_TOKEN: ${API_TOKEN}\n"
    "      PASS_ACCESS_TOKEN: 'true'\n"
    "  app:\n"
    "    image: app:1\n"
    "    environment:\n"
    "      - SMTP_PASS=s3cr3t-value\n"
    "      - STRIPE_API_KEY\n"
    "      - LOG_LEVEL=debug\n"
)


def test_literal_secrets_in_both_forms(make_tree: TreeFactory) -> None:
    root = make_tree({"compose.yaml": COMPOSE})
    assert hits(root, RULE) == [
        ("compose.yaml", 5, 7, "KG808"),
        ("compose.yaml", 12, 9, "KG808"),
    ]


def test_secret_key_words() -> None:
    for key in (
        "DB_PASSWORD",
        "SMTP_PASS",
        "GITHUB_TOKEN",
        "OPENAI_API_KEY",
        "jwtSecret",
        "PGPASSWORD",
        "SECRET_KEY_BASE",
    ):
        assert is_secret_key(key), key
    for key in (
        "PASSWORD_FILE",
        "TOKEN_EXPIRY",
        "PASS_THROUGH",
        "LOG_LEVEL",
        "KEYBOARD",
    ):
        assert not is_secret_key(key), key


def test_variables_pass(make_tree: TreeFactory) -> None:
    root = make_tree(
        {
            "compose.yaml": "services:\n  db:\n    image: p:1\n    environment:\n"
            "      POSTGRES_PASSWORD: ${POSTGRES_PASSWORD:?set it}\n"
        }
    )
    assert hits(root, RULE) == []


def test_disabled(make_tree: TreeFactory) -> None:
    root = make_tree({"compose.yaml": COMPOSE})
    assert hits(root, RULE, disabled=[RULE.code]) == []


SECRETS = st.text(
    alphabet=st.characters(
        min_codepoint=33, max_codepoint=126, exclude_characters="$\"'\\#{}[],&*!|>%@`"
    ),
    min_size=10,
    max_size=40,
)


@settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(secret=SECRETS)
def test_the_value_never_appears_in_a_finding(
    make_tree: TreeFactory, secret: str
) -> None:
    root = make_tree(
        {
            "compose.yaml": "services:\n  db:\n    image: p:1\n    environment:\n"
            f"      DB_PASSWORD: {json.dumps(secret)}\n"
            f"      - broken\n"
            "  app:\n    image: a:1\n    environment:\n"
            f"      - {json.dumps('APP_SECRET=' + secret)}\n"
        }
    )
    everything = findings(root, RULE)
    for finding in everything:
        assert secret not in f"{finding.message} {finding.hint} {finding!r}"
