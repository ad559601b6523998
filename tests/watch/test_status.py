"""The status page, its SVG chart, the HTTP server around it, and the page
as headless Chromium shows it."""

from __future__ import annotations

import json
import logging
import shutil
import socket
import subprocess
import urllib.error
import urllib.request
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from komodo_guard.notify.failing import ChannelHealth
from komodo_guard.rules.interface import FailureClass, Finding, ResourceRef, Severity
from komodo_guard.watch import Cycle, Outcome, WatchState
from komodo_guard.watch.metrics import Metrics, update
from komodo_guard.watch.model import CycleRecord
from komodo_guard.watch.server import Board, StatusServer, make_app, serve
from komodo_guard.watch.status import (
    Heartbeat,
    Status,
    health,
    history_chart,
    public_url,
    read_status,
    render,
)
from tests.watch.helpers import EVERY, T0, TAKES, pending

SVG = "{http://www.w3.org/2000/svg}"
CHROMIUM = Path("/usr/bin/chromium")
TOKEN = "s3cret-token-value"
SEEDED_TEXT = "uptime-kuma.yaml changed since the last deploy"


def behind(name: str = "uptime-kuma") -> Finding:
    """A stack-behind-git finding whose start Core knows."""
    return Finding(
        code="KG1008",
        name="stack-behind-git",
        severity=Severity.WARNING,
        failure_class=FailureClass.SYNC_DRIFT,
        message=f"stack {name!r} does not run what git holds: {name}.yaml changed "
        "since the last deploy <b>now</b>",
        resource=ResourceRef("stack", name),
        hint="deploy the stack (DeployStackIfChanged)",
        since=T0 - timedelta(hours=2),
    )


def info_finding() -> Finding:
    return Finding(
        code="KG1012",
        name="version-skew",
        severity=Severity.INFO,
        failure_class=FailureClass.STALE_CONFIG,
        message="Periphery on 'box' is 2.2.0 while Core is 2.3.0",
        resource=ResourceRef("server", "box"),
    )


def seed(state: WatchState) -> None:
    """Cycles with findings, one that could not reach Core, and a snooze."""
    now = T0
    runs: list[tuple[list[Finding], bool]] = [
        ([pending()], True),
        ([pending(), behind()], True),
        ([pending(), behind(), info_finding()], True),
        ([], False),
        ([pending(), behind(), info_finding()], True),
        ([pending(), behind()], True),
    ]
    for findings, checked in runs:
        reason = "" if checked else "connection refused by http://127.0.0.1:9120"
        state.record(findings, Cycle(now, now + TAKES, checked, reason))
        now += EVERY
    snoozed = next(f for f in state.open_findings() if f.code == "KG1001")
    state.snooze(snoozed.identity, T0 + timedelta(days=30))


CHANNELS = (
    ChannelHealth("discord", T0, 0, None, 0, 0, 0, None, None),
    ChannelHealth(
        "ntfy",
        None,
        5,
        T0,
        2,
        0,
        1,
        T0,
        "HTTP 503 from ntfy.example <script>alert(1)</script>",
    ),
)


@pytest.fixture
def seeded(tmp_path: Path) -> Iterator[Status]:
    """The status of a temporary watch state seeded with findings and cycles."""
    with WatchState.open(tmp_path / "watch.sqlite") as state:
        seed(state)
        yield read_status(
            state,
            interval=EVERY,
            channels=CHANNELS,
            heartbeat=Heartbeat(T0, T0 + EVERY, "HTTP 404 from hc.example"),
            core_url=f"https://admin:hunter2@komodo.example:9120/core?token={TOKEN}",
        )


LATER = T0 + timedelta(days=5, hours=3)


# The page --------------------------------------------------------------------


def test_read_status_takes_the_state(seeded: Status) -> None:
    assert [f.code for f in seeded.findings] == ["KG1001", "KG1008", "KG1012"]
    assert len(seeded.cycles) == 6
    assert seeded.cycles[0].ended > seeded.cycles[-1].ended
    assert seeded.last_good is seeded.cycles[0]


def test_open_findings_say_how_long_they_lasted(seeded: Status) -> None:
    page = render(seeded, LATER)
    assert "open for 5 days 3 hours" in page
    # Core said the stack fell behind two hours before the first cycle.
    assert "open for 5 days 5 hours" in page
    assert "snoozed until 2026-12-29 04:12 UTC" in page
    assert "stack &#x27;uptime-kuma&#x27;" in page
    assert "3 open: 2 warnings, 1 info" in page


def test_everything_is_escaped_and_there_is_no_script(seeded: Status) -> None:
    page = render(seeded, LATER)
    assert "<b>now</b>" not in page
    assert "&lt;b&gt;now&lt;/b&gt;" in page
    assert "<script" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_the_core_url_loses_credentials_and_query(seeded: Status) -> None:
    page = render(seeded, LATER)
    assert "https://komodo.example:9120/core" in page
    for secret in ("hunter2", "admin", TOKEN):
        assert secret not in page


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("https://u:p@core.example:9120/?a=b#c", "https://core.example:9120/"),
        ("http://[::1]:9120", "http://[::1]:9120"),
        ("http://core.example:notaport", ""),
        ("core.example", ""),
        ("", ""),
    ],
)
def test_public_url(url: str, shown: str) -> None:
    assert public_url(url) == shown


def test_cycles_channels_and_heartbeat_are_shown(seeded: Status) -> None:
    page = render(seeded, LATER)
    assert page.count('<span class="badge failed">failed</span>') == 1
    # The ntfy channel, and the heartbeat whose newest ping failed.
    assert page.count('<span class="badge failing">failing</span>') == 2
    assert "connection refused by http://127.0.0.1:9120" in page
    assert "ntfy" in page
    assert "discord" in page
    assert "Last successful ping: 2026-11-29 04:12 UTC (5 days 3 hours ago)" in page
    assert "HTTP 404 from hc.example" in page


@pytest.mark.parametrize(
    ("beat", "word"),
    [
        (Heartbeat(), "waiting"),
        (Heartbeat(T0, None), "ok"),
        (Heartbeat(T0 + EVERY, T0), "ok"),
        (Heartbeat(None, T0, "timed out"), "failing"),
    ],
)
def test_heartbeat_state(beat: Heartbeat, word: str) -> None:
    page = render(Status(interval=EVERY, heartbeat=beat), T0 + EVERY)
    section = page.split('<section id="heartbeat">')[1]
    assert f'<span class="badge {word}">{word}</span>' in section


def test_without_heartbeat_or_channels_the_page_warns() -> None:
    page = render(Status(interval=EVERY), T0)
    assert "No heartbeat URL is configured" in page
    assert "No notification channel is configured" in page
    assert "no cycle yet" in page
    assert "Nothing open." in page


def test_the_page_is_well_formed_xml_apart_from_the_doctype(seeded: Status) -> None:
    page = render(seeded, LATER).removeprefix("<!DOCTYPE html>\n")
    page = page.replace('<meta charset="utf-8">', '<meta charset="utf-8"/>')
    ET.fromstring(_void_closed(page))


def _void_closed(page: str) -> str:
    """Close HTML's void ``<meta>`` elements so an XML parser accepts the page."""
    import re

    return re.sub(r"<meta([^>]*[^/])>", r"<meta\1/>", page)


def test_healthy_while_the_last_good_cycle_is_recent(seeded: Status) -> None:
    last_good = seeded.cycles[0].ended
    assert health(seeded, last_good + 3 * EVERY).state == "ok"
    assert health(seeded, last_good + 3 * EVERY + TAKES).state == "stale"
    assert health(Status(interval=EVERY), T0).state == "no-cycle"


def test_a_run_of_failed_cycles_is_stale() -> None:
    failed = CycleRecord(T0, T0 + TAKES, Outcome.FAILED, 0, 0, 0, 0, 0, "down")
    assert health(Status(EVERY, cycles=(failed,)), T0 + TAKES).state == "stale"


# The chart -------------------------------------------------------------------


def test_the_chart_is_svg_with_a_line_per_severity(seeded: Status) -> None:
    root = ET.fromstring(history_chart(seeded.cycles))
    assert root.tag == f"{SVG}svg"
    lines = root.findall(f"{SVG}polyline")
    classes = {line.get("class") for line in lines}
    assert classes == {"series-error", "series-warning", "series-info"}
    # The failed cycle breaks each line in two and gets a mark of its own.
    assert len(lines) == 6
    assert len(root.findall(f"{SVG}rect[@class='failed-cycle']")) == 1
    warnings = [line for line in lines if line.get("class") == "series-warning"]
    heights = [
        float(point.split(",")[1])
        for line in warnings
        for point in (line.get("points") or "").split()
    ]
    # Newest first in, oldest first drawn: 1, 2, 2 | 2, 2 warnings.
    assert heights[0] > heights[1] == heights[2] == heights[3] == heights[4]


def test_the_chart_without_cycles_says_so() -> None:
    root = ET.fromstring(history_chart([]))
    assert "no cycles yet" in "".join(root.itertext())


def test_one_cycle_is_drawn_as_points() -> None:
    one = CycleRecord(T0, T0 + TAKES, Outcome.OK, 1, 0, 0, 0, 0, "")
    root = ET.fromstring(history_chart([one]))
    assert len(root.findall(f"{SVG}circle")) == 3


# The server ------------------------------------------------------------------


@pytest.fixture
def board(seeded: Status) -> Board:
    return Board(seeded)


def start(board: Board, token: str | None = None) -> StatusServer:
    metrics = Metrics()
    update(metrics, board.status, None, LATER)
    app = make_app(board, metrics, token=token, clock=lambda: LATER)
    return serve(app, "127.0.0.1", 0)


@pytest.fixture
def server(board: Board) -> Iterator[StatusServer]:
    running = start(board)
    yield running
    running.close()


@pytest.fixture
def guarded(board: Board) -> Iterator[StatusServer]:
    running = start(board, TOKEN)
    yield running
    running.close()


def get(
    url: str, headers: dict[str, str] | None = None, method: str = "GET"
) -> tuple[int, dict[str, str], str]:
    request = urllib.request.Request(url, headers=headers or {}, method=method)
    try:
        with urllib.request.urlopen(request, timeout=5) as answer:
            return answer.status, dict(answer.headers), answer.read().decode()
    except urllib.error.HTTPError as error:
        with error:
            return error.code, dict(error.headers), error.read().decode()


def test_the_server_binds_loopback_on_its_own_port(server: StatusServer) -> None:
    assert server.url == f"http://127.0.0.1:{server.port}"
    assert server.port != 0


def test_page_metrics_and_health(server: StatusServer) -> None:
    code, headers, page = get(server.url + "/")
    assert code == 200
    assert headers["Content-Type"] == "text/html; charset=utf-8"
    assert SEEDED_TEXT in page
    assert "script-src" not in headers["Content-Security-Policy"]
    assert headers["Cache-Control"] == "no-store"

    code, headers, text = get(server.url + "/metrics")
    assert code == 200
    assert headers["Content-Type"].startswith("text/plain")
    assert 'komodo_guard_findings_open{failure_class="sync-drift"' in text

    code, headers, text = get(server.url + "/healthz")
    assert code == 503  # LATER is days after the last cycle
    body = json.loads(text)
    assert body["status"] == "stale"
    assert body["last_cycle_outcome"] == "ok"
    assert body["interval_seconds"] == 300


def test_healthz_is_200_after_a_recent_good_cycle(board: Board) -> None:
    last = board.status.cycles[0].ended
    metrics = Metrics()
    app = make_app(board, metrics, token=TOKEN, clock=lambda: last + EVERY)
    running = serve(app, "127.0.0.1", 0)
    try:
        code, _, text = get(running.url + "/healthz")
    finally:
        running.close()
    assert code == 200
    assert json.loads(text)["last_cycle_age_seconds"] == 300


def test_a_published_status_shows_at_the_next_request(
    server: StatusServer, board: Board
) -> None:
    board.publish(replace(board.status, findings=()))
    _, _, page = get(server.url + "/")
    assert SEEDED_TEXT not in page
    assert "Nothing open." in page


def test_unknown_paths_and_methods(server: StatusServer) -> None:
    assert get(server.url + "/admin")[0] == 404
    code, headers, _ = get(server.url + "/", method="POST")
    assert code == 405
    assert headers["Allow"] == "GET, HEAD"
    code, headers, body = get(server.url + "/", method="HEAD")
    assert code == 200
    assert body == ""
    assert int(headers["Content-Length"]) > 0


@pytest.mark.parametrize("path", ["/", "/metrics"])
def test_the_token_guards_page_and_metrics(guarded: StatusServer, path: str) -> None:
    code, headers, body = get(guarded.url + path)
    assert code == 401
    assert headers["WWW-Authenticate"].startswith("Bearer")
    code, _, body = get(guarded.url + path + "?token=wrong-" + TOKEN)
    assert code == 401
    assert TOKEN not in body
    code, _, body = get(guarded.url + path, {"Authorization": "Bearer " + TOKEN + "x"})
    assert code == 401
    assert TOKEN not in body
    assert get(guarded.url + path, {"Authorization": f"Bearer {TOKEN}"})[0] == 200
    assert get(guarded.url + path, {"Authorization": f"bearer {TOKEN}"})[0] == 200
    assert get(guarded.url + path + f"?token={TOKEN}")[0] == 200


def test_healthz_needs_no_token(guarded: StatusServer) -> None:
    assert get(guarded.url + "/healthz")[0] == 503


def test_an_empty_token_means_no_token(board: Board) -> None:
    running = serve(make_app(board, Metrics(), token=""), "127.0.0.1", 0)
    try:
        assert get(running.url + "/metrics")[0] == 200
    finally:
        running.close()


def test_the_token_never_reaches_the_log(
    guarded: StatusServer,
    caplog: pytest.LogCaptureFixture,
    capfd: pytest.CaptureFixture[str],
) -> None:
    caplog.set_level(logging.DEBUG, logger="komodo_guard.watch.server")
    get(guarded.url + f"/?token={TOKEN}")
    get(guarded.url + "/?token=not-it")
    with socket.create_connection(("127.0.0.1", guarded.port), timeout=5) as raw:
        raw.sendall(f"GET /?token={TOKEN} HTTP/9.9 junk\r\n\r\n".encode())
        while raw.recv(4096):  # until the server closes: its log is written
            pass
    assert "GET / -> 200" in caplog.text
    assert "- - -> 400" in caplog.text
    assert TOKEN not in caplog.text
    assert "not-it" not in caplog.text
    assert "Traceback" not in caplog.text
    printed = capfd.readouterr()
    assert TOKEN not in printed.out + printed.err
    assert "Traceback" not in printed.err


def test_a_broken_page_is_a_500_without_details(
    board: Board, caplog: pytest.LogCaptureFixture
) -> None:
    def broken() -> datetime:
        raise RuntimeError("clock exploded")

    running = serve(make_app(board, Metrics(), clock=broken), "127.0.0.1", 0)
    try:
        code, _, body = get(running.url + "/")
    finally:
        running.close()
    assert code == 500
    assert body == "internal error\n"
    assert "clock exploded" in caplog.text


def test_connections_beyond_the_limit_are_closed(board: Board) -> None:
    running = serve(make_app(board, Metrics()), "127.0.0.1", 0, max_connections=1)
    try:
        # The server accepts in order: the idle connection takes the only slot
        # (its thread waits for a request line) before the second is accepted.
        with socket.create_connection(("127.0.0.1", running.port), timeout=5) as idle:
            with socket.create_connection(
                ("127.0.0.1", running.port), timeout=5
            ) as refused:
                assert refused.recv(4096) == b""
            idle.sendall(b"GET /healthz HTTP/1.0\r\n\r\n")
            assert idle.recv(4096).startswith(b"HTTP/1.0 503")
    finally:
        running.close()


# Headless Chromium -----------------------------------------------------------


@pytest.fixture
def chromium() -> Path:
    if not CHROMIUM.exists() and shutil.which("chromium") is None:
        pytest.skip(
            "chromium is not installed: run `bash .ci/system-packages` (Debian's "
            "chromium) to test the status page in a real browser"
        )
    return CHROMIUM if CHROMIUM.exists() else Path(str(shutil.which("chromium")))


def browse(
    chromium: Path, profile: Path, *args: str
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [
            str(chromium),
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            f"--user-data-dir={profile}",
            *args,
        ],
        capture_output=True,
        text=True,
        timeout=90,
        check=False,
    )


def test_chromium_loads_the_page_and_takes_a_screenshot(
    chromium: Path, guarded: StatusServer, tmp_path: Path
) -> None:
    url = f"{guarded.url}/?token={TOKEN}"
    dom = browse(chromium, tmp_path / "profile", "--dump-dom", url)
    assert dom.returncode == 0, dom.stderr[-2000:]
    assert SEEDED_TEXT in dom.stdout
    assert "open for 5 days 3 hours" in dom.stdout
    assert "<svg" in dom.stdout

    shot = tmp_path / "status.png"
    taken = browse(
        chromium,
        tmp_path / "profile",
        f"--screenshot={shot}",
        "--window-size=1200,900",
        "--hide-scrollbars",
        url,
    )
    assert taken.returncode == 0, taken.stderr[-2000:]
    data = shot.read_bytes()
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    assert len(data) > 10_000
