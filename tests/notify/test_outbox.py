"""The outbox: de-duplication, retries on an injected clock, expiry, restarts,
crashes between send and record, and channel-failing announcements."""

from __future__ import annotations

import json
import logging
import os
import sqlite3
import stat
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

import pytest

from komodo_guard.notify.channels import parse_channel
from komodo_guard.notify.interface import Channel, Delivery, Outcome
from komodo_guard.notify.message import Alert, Severity, Transition
from komodo_guard.notify.outbox import Outbox, Undelivered
from komodo_guard.notify.retry import RetryPolicy
from komodo_guard.notify.sender import Sender
from tests.notify.conftest import NOW, make_alert
from tests.notify.servers import HttpRecorder, Reply

RETRY = Outcome(Delivery.RETRYABLE, "HTTP 503 from http://127.0.0.1:1")
REFUSED = Outcome(Delivery.PERMANENT, "HTTP 400 from http://127.0.0.1:1")
OK = Outcome(Delivery.DELIVERED, "delivered")
POLICY = RetryPolicy(first_delay=30, factor=2, max_delay=3600, failing_after=3)


def seconds(value: float) -> timedelta:
    return timedelta(seconds=value)


def channels(*names: str) -> list[Channel]:
    return [
        parse_channel(
            i, {"type": "webhook", "name": n, "url": f"http://127.0.0.1:9/{n}"}
        )
        for i, n in enumerate(names)
    ]


@dataclass
class Script:
    """A send function: outcomes per channel in order (then the last one again)."""

    outcomes: dict[str, list[Outcome]] = field(default_factory=dict)
    sent: list[tuple[str, Alert]] = field(default_factory=list)

    def __call__(self, channel: Channel, alert: Alert) -> Outcome:
        self.sent.append((channel.name, alert))
        queue = self.outcomes.get(channel.name, [OK])
        return queue.pop(0) if len(queue) > 1 else queue[0]

    def keys(self, channel: str) -> list[str]:
        return [alert.key for name, alert in self.sent if name == channel]


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "state" / "outbox.sqlite"


@pytest.fixture
def script() -> Script:
    return Script()


@pytest.fixture
def outbox(db: Path, script: Script) -> Iterator[Outbox]:
    db.parent.mkdir()
    with Outbox(
        db, channels("a", "b", "c"), script, policy=POLICY, unit=lambda: 0.5
    ) as box:
        yield box


def test_a_burst_of_the_same_alert_is_queued_once(
    outbox: Outbox, script: Script
) -> None:
    added = [outbox.enqueue(make_alert(), ["a", "b"], now=NOW) for _ in range(3)]
    report = outbox.deliver_due(NOW)

    assert added == [2, 0, 0]
    assert report.delivered == 2
    assert [name for name, _ in script.sent] == ["a", "b"]


def test_all_channels_by_default_and_again_after_delivery(
    outbox: Outbox, script: Script
) -> None:
    outbox.enqueue(make_alert(), now=NOW)
    outbox.deliver_due(NOW)

    assert outbox.enqueue(make_alert(), ["a"], now=NOW) == 1
    assert len(script.sent) == 3


def test_unknown_channel_name_is_refused(outbox: Outbox) -> None:
    with pytest.raises(ValueError, match="no channel named 'zz'"):
        outbox.enqueue(make_alert(), ["a", "zz"], now=NOW)


def test_retries_back_off_exponentially_on_the_injected_clock(
    outbox: Outbox, script: Script
) -> None:
    script.outcomes["a"] = [RETRY, RETRY, RETRY, OK]
    outbox.enqueue(make_alert(), ["a"], now=NOW)

    attempts_at = []
    for offset in range(0, 400):
        report = outbox.deliver_due(NOW + seconds(offset))
        if report.delivered or report.retrying:
            attempts_at.append(offset)

    assert attempts_at == [0, 30, 90, 210]
    (health, *_) = outbox.channel_health()
    assert health.last_success == NOW + seconds(210)
    assert health.consecutive_failures == 0
    assert health.undelivered == 0


def test_jitter_comes_from_the_injected_unit(db: Path, script: Script) -> None:
    db.parent.mkdir()
    script.outcomes["a"] = [RETRY, OK]
    policy = RetryPolicy(first_delay=100, jitter=0.2)
    with Outbox(db, channels("a"), script, policy=policy, unit=lambda: 0.0) as box:
        box.enqueue(make_alert(), now=NOW)
        box.deliver_due(NOW)

        assert box.deliver_due(NOW + seconds(79)).delivered == 0
        assert box.deliver_due(NOW + seconds(80)).delivered == 1


def test_a_retryable_failure_holds_the_channels_other_alerts_for_this_pass(
    outbox: Outbox, script: Script
) -> None:
    script.outcomes["a"] = [RETRY, OK]
    outbox.enqueue(make_alert("one"), ["a", "b"], now=NOW)
    outbox.enqueue(make_alert("two"), ["a", "b"], now=NOW)

    report = outbox.deliver_due(NOW)

    assert (report.delivered, report.retrying) == (2, 1)
    assert script.keys("a") == ["one"]
    assert script.keys("b") == ["one", "two"]


def test_429_retry_after_from_the_server_sets_the_next_attempt(
    db: Path, http_server: HttpRecorder, sender: Sender
) -> None:
    db.parent.mkdir()
    hook = parse_channel(0, {"type": "webhook", "name": "a", "url": http_server.url})
    http_server.reply(Reply(429, {"Retry-After": "300"}))
    with Outbox(db, [hook], sender.send, policy=POLICY, unit=lambda: 0.5) as box:
        box.enqueue(make_alert(), now=NOW)

        first = box.deliver_due(NOW)
        early = box.deliver_due(NOW + seconds(299))
        due = box.deliver_due(NOW + seconds(300))

    assert (first.retrying, early.retrying, early.delivered) == (1, 0, 0)
    assert due.delivered == 1
    assert len(http_server.requests) == 2


def test_a_permanent_failure_ends_the_row_and_is_reported(
    outbox: Outbox, script: Script, caplog: pytest.LogCaptureFixture
) -> None:
    script.outcomes["a"] = [REFUSED]
    outbox.enqueue(make_alert(), ["a"], now=NOW)

    report = outbox.deliver_due(NOW)
    later = outbox.deliver_due(NOW + timedelta(hours=5))

    assert report.failed == (
        Undelivered("finding:KG101:stack/web:new", "a", 1, REFUSED.detail),
    )
    assert script.keys("a") == ["finding:KG101:stack/web:new"]
    assert later.failed == ()
    assert outbox.channel_health()[0].failed == 1
    assert "not delivered on a (attempt 1, permanent)" in caplog.text


def test_an_alert_expires_undelivered_and_is_reported(
    db: Path, script: Script, caplog: pytest.LogCaptureFixture
) -> None:
    db.parent.mkdir()
    script.outcomes["a"] = [RETRY]
    policy = RetryPolicy(first_delay=600, max_age=3600, failing_age=10**6)
    with Outbox(db, channels("a"), script, policy=policy, unit=lambda: 0.5) as box:
        box.enqueue(make_alert(), now=NOW)
        for minutes in range(0, 61, 10):
            assert box.deliver_due(NOW + timedelta(minutes=minutes)).expired == ()
        report = box.deliver_due(NOW + timedelta(minutes=60, seconds=1))
        health = box.channel_health()[0]

    assert report.expired == (
        Undelivered("finding:KG101:stack/web:new", "a", 3, RETRY.detail),
    )
    assert (health.expired, health.undelivered) == (1, 0)
    assert "expired undelivered on a after 3 attempt(s)" in caplog.text


def test_a_new_outbox_on_the_same_file_continues(db: Path, script: Script) -> None:
    db.parent.mkdir()
    script.outcomes["a"] = [RETRY, RETRY, OK]
    with Outbox(db, channels("a"), script, policy=POLICY, unit=lambda: 0.5) as box:
        box.enqueue(make_alert(), now=NOW)
        box.deliver_due(NOW)
        box.deliver_due(NOW + seconds(30))

    with Outbox(db, channels("a"), script, policy=POLICY, unit=lambda: 0.5) as box:
        health = box.channel_health()[0]
        assert (health.consecutive_failures, health.undelivered) == (2, 1)
        assert box.deliver_due(NOW + seconds(89)).delivered == 0
        assert box.deliver_due(NOW + seconds(90)).delivered == 1


class Crash(BaseException):
    """Stands for the process dying between the send and its record."""


def test_a_crash_between_send_and_record_gives_at_most_one_duplicate(
    db: Path,
    http_server: HttpRecorder,
    sender: Sender,
    caplog: pytest.LogCaptureFixture,
) -> None:
    db.parent.mkdir()
    hook = parse_channel(0, {"type": "webhook", "name": "a", "url": http_server.url})

    def send_then_die(channel: Channel, alert: Alert) -> Outcome:
        sender.send(channel, alert)
        raise Crash

    dying = Outbox(db, [hook], send_then_die, policy=POLICY)
    dying.enqueue(make_alert(), now=NOW)
    with pytest.raises(Crash):
        dying.deliver_due(NOW)

    with Outbox(db, [hook], sender.send, policy=POLICY) as box:
        assert box.deliver_due(NOW + seconds(1)).delivered == 1
        assert box.deliver_due(NOW + seconds(2)).delivered == 0
    dying.close()

    bodies = [json.loads(request.body) for request in http_server.requests]
    assert len(bodies) == 2
    assert bodies[0] == bodies[1]
    assert bodies[0]["key"] == "finding:KG101:stack/web:new"
    assert "may arrive twice" in caplog.text


CHILD = """
import os, sys
from datetime import datetime
from pathlib import Path
from komodo_guard.notify.channels import parse_channel
from komodo_guard.notify.message import Alert
from komodo_guard.notify.outbox import Outbox
from komodo_guard.notify.sender import Sender

hook = parse_channel(0, {"type": "webhook", "name": "a", "url": sys.argv[2]})
sender = Sender({})

def send_then_kill(channel, alert):
    sender.send(channel, alert)
    os._exit(9)

now = datetime.fromisoformat(sys.argv[4])
box = Outbox(Path(sys.argv[1]), [hook], send_then_kill)
box.enqueue(Alert.from_json(sys.argv[3]), now=now)
box.deliver_due(now)
"""


def test_a_killed_process_loses_nothing(
    db: Path, http_server: HttpRecorder, sender: Sender
) -> None:
    db.parent.mkdir()
    alert = make_alert()
    child = subprocess.run(
        [
            *(sys.executable, "-c", CHILD),
            *(str(db), http_server.url, alert.to_json(), NOW.isoformat()),
        ],
        check=False,
        capture_output=True,
        timeout=60,
    )
    assert child.returncode == 9, child.stderr.decode()
    hook = parse_channel(0, {"type": "webhook", "name": "a", "url": http_server.url})

    with Outbox(db, [hook], sender.send) as box:
        report = box.deliver_due(NOW + seconds(1))

    assert report.delivered == 1
    assert [json.loads(r.body)["key"] for r in http_server.requests] == [alert.key] * 2


def failing_keys(script: Script, channel: str) -> list[tuple[str, Transition]]:
    return [
        (alert.key, alert.transition)
        for name, alert in script.sent
        if name == channel and alert.key.startswith("channel-failing:")
    ]


def test_a_failing_channel_is_announced_once_on_the_others_and_its_recovery(
    outbox: Outbox, script: Script
) -> None:
    script.outcomes["a"] = [RETRY, RETRY, RETRY, RETRY, OK]
    outbox.enqueue(make_alert(), now=NOW)

    reports = {
        offset: outbox.deliver_due(NOW + seconds(offset))
        for offset in (0, 30, 90, 210, 450)
    }

    assert [r.failing for r in reports.values()] == [(), (), ("a",), (), ()]
    assert [r.recovered for r in reports.values()] == [(), (), (), (), ("a",)]
    since = (NOW + seconds(90)).isoformat()
    expected = [
        (f"channel-failing:a:{since}", Transition.CHANNEL_FAILING),
        (f"channel-failing:a:{since}:resolved", Transition.RESOLVED),
    ]
    assert failing_keys(script, "b") == expected
    assert failing_keys(script, "c") == expected
    assert failing_keys(script, "a") == []
    assert script.keys("a")[-1] == "finding:KG101:stack/web:new"
    assert outbox.channel_health()[0].failing_since is None


def test_the_failing_alert_says_what_is_wrong(outbox: Outbox, script: Script) -> None:
    script.outcomes["a"] = [RETRY]
    outbox.enqueue(make_alert(), ["a"], now=NOW)
    for offset in (0, 30, 90):
        outbox.deliver_due(NOW + seconds(offset))

    (alert,) = [alert for name, alert in script.sent if name == "b"]

    assert alert.title == "Notification channel a is failing"
    assert alert.severity is Severity.ERROR
    assert alert.body.splitlines()[:4] == [
        "komodo-guard cannot deliver alerts on the channel 'a'.",
        "Failed attempts in a row: 3.",
        "Alerts waiting: 1, the oldest since 2026-12-01 10:00:00 UTC.",
        f"Last error: {RETRY.detail}.",
    ]


def test_an_old_undelivered_alert_makes_a_channel_failing(
    db: Path, script: Script
) -> None:
    db.parent.mkdir()
    script.outcomes["a"] = [RETRY]
    policy = RetryPolicy(first_delay=3000, failing_after=100, failing_age=600)
    with Outbox(db, channels("a", "b"), script, policy=policy, unit=lambda: 0.5) as box:
        box.enqueue(make_alert(), ["a"], now=NOW)
        box.deliver_due(NOW)

        assert box.deliver_due(NOW + seconds(600)).failing == ()
        assert box.deliver_due(NOW + seconds(601)).failing == ("a",)


def test_a_permanent_failure_makes_a_channel_failing_at_once(
    outbox: Outbox, script: Script
) -> None:
    script.outcomes["a"] = [REFUSED]
    outbox.enqueue(make_alert(), ["a"], now=NOW)

    report = outbox.deliver_due(NOW)

    assert report.failing == ("a",)
    assert len(failing_keys(script, "b")) == 1


def test_with_no_other_channel_the_failure_is_logged(
    db: Path, script: Script, caplog: pytest.LogCaptureFixture
) -> None:
    db.parent.mkdir()
    script.outcomes["a"] = [REFUSED]
    with Outbox(db, channels("a"), script, policy=POLICY) as box:
        box.enqueue(make_alert(), now=NOW)
        report = box.deliver_due(NOW)

    assert report.failing == ("a",)
    assert "no other channel is configured to report it on" in caplog.text


def test_alerts_for_a_channel_no_longer_configured_wait_and_show_in_health(
    db: Path, script: Script
) -> None:
    db.parent.mkdir()
    with Outbox(db, channels("a", "gone"), script, policy=POLICY) as box:
        box.enqueue(make_alert(), ["gone"], now=NOW)

    with Outbox(db, channels("a"), script, policy=POLICY, unit=lambda: 0.5) as box:
        report = box.deliver_due(NOW)
        names = [health.channel for health in box.channel_health()]
        gone = box.channel_health()[1]

    assert report.retrying == 1
    assert names == ["a", "gone"]
    assert gone.undelivered == 1
    assert gone.last_error == "no channel named 'gone' is configured any more"


def test_finished_rows_are_deleted_after_retention(db: Path, script: Script) -> None:
    db.parent.mkdir()
    policy = RetryPolicy(retention=3600)
    with Outbox(db, channels("a"), script, policy=policy) as box:
        box.enqueue(make_alert(), now=NOW)
        box.deliver_due(NOW)
        box.deliver_due(NOW + seconds(3601))

    with sqlite3.connect(db) as plain:
        assert plain.execute("SELECT count(*) FROM delivery").fetchone() == (0,)


def test_the_file_is_readable_by_its_owner_only(outbox: Outbox, db: Path) -> None:
    outbox.enqueue(make_alert(), now=NOW)

    files = [db, db.with_name(db.name + "-wal"), db.with_name(db.name + "-shm")]

    assert {path.name: stat.S_IMODE(path.stat().st_mode) for path in files} == {
        path.name: 0o600 for path in files
    }


def test_an_existing_file_open_to_others_is_tightened(db: Path, script: Script) -> None:
    db.parent.mkdir()
    db.touch()
    os.chmod(db, 0o644)

    with Outbox(db, channels("a"), script):
        pass

    assert stat.S_IMODE(db.stat().st_mode) == 0o600


def test_the_journal_is_wal(outbox: Outbox, db: Path) -> None:
    with sqlite3.connect(db) as plain:
        assert plain.execute("PRAGMA journal_mode").fetchone() == ("wal",)


def test_outbox_logs_decisions_at_debug(
    outbox: Outbox, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.DEBUG, logger="komodo_guard.notify.outbox"):
        outbox.enqueue(make_alert(), ["a"], now=NOW)

    assert "queued alert finding:KG101:stack/web:new on 1 channel(s)" in caplog.text


def test_a_paused_channel_stays_paused_when_announcements_are_sent(
    db: Path, script: Script
) -> None:
    db.parent.mkdir()
    script.outcomes["a"] = [RETRY]
    policy = RetryPolicy(failing_after=1)
    with Outbox(db, channels("a", "b"), script, policy=policy) as box:
        box.enqueue(make_alert("one"), "a", now=NOW)
        box.enqueue(make_alert("two"), "a", now=NOW)
        report = box.deliver_due(NOW)

    assert report.failing == ("a",)
    assert script.keys("a") == ["one"]
    assert [key.split(":")[0] for key in script.keys("b")] == ["channel-failing"]
