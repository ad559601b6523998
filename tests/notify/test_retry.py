import pytest

from komodo_guard.notify.retry import RetryPolicy


def test_exponential_without_jitter_at_the_middle() -> None:
    policy = RetryPolicy(first_delay=30, factor=2, max_delay=600, jitter=0.2)

    delays = [policy.delay(attempt, 0.5) for attempt in range(1, 8)]

    assert delays == [30, 60, 120, 240, 480, 600, 600]


def test_jitter_spreads_within_the_fraction_and_stays_capped() -> None:
    policy = RetryPolicy(first_delay=100, max_delay=1000, jitter=0.2)

    assert policy.delay(1, 0.0) == 80
    assert policy.delay(1, 0.999999) == pytest.approx(120, abs=1e-3)
    assert policy.delay(10, 0.999999) == 1000


def test_retry_after_wins_but_is_capped_and_at_least_a_second() -> None:
    policy = RetryPolicy(max_delay=3600)

    assert policy.delay(1, 0.5, retry_after=120) == 120
    assert policy.delay(1, 0.5, retry_after=99999) == 3600
    assert policy.delay(1, 0.5, retry_after=0) == 1


def test_huge_attempt_counts_do_not_overflow() -> None:
    assert RetryPolicy().delay(5000, 0.5) == 3600


@pytest.mark.parametrize(
    "options",
    [{"first_delay": 0}, {"factor": 0.5}, {"jitter": 1.0}, {"failing_after": 0}],
)
def test_nonsense_policies_are_refused(options: dict[str, float]) -> None:
    with pytest.raises(ValueError, match=r"."):
        RetryPolicy(**options)  # type: ignore[arg-type]
