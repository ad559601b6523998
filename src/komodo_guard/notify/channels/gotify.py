"""Gotify: a message posted to a server's ``/message`` endpoint.

::

    [[notify.channel]]
    type = "gotify"
    url = "https://gotify.example.org"     # the server, without /message
    token = "env:GOTIFY_APP_TOKEN"         # an application token

The token goes in the ``X-Gotify-Key`` header rather than the ``?token=``
query so it stays out of proxy and server access logs. Body:
``{"title", "message", "priority"}`` (error 8, warning 5, info 2, resolved 2)
and, with a link, Gotify's ``client::notification`` click extra.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from komodo_guard.notify.channels.http import HttpRequest, json_request, send_http
from komodo_guard.notify.interface import ChannelTable, Outcome, Secret, SendContext
from komodo_guard.notify.message import Alert, Severity

KEYS = ("url", "token")

PRIORITY = {
    Severity.ERROR: 8,
    Severity.WARNING: 5,
    Severity.INFO: 2,
    Severity.RESOLVED: 2,
}


@dataclass(frozen=True)
class GotifyChannel:
    """A Gotify application."""

    kind: ClassVar[str] = "gotify"
    name: str
    url: str
    token: Secret
    timeout: float

    def send(self, alert: Alert, context: SendContext) -> Outcome:
        return send_http(
            lambda: build(self, alert, self.token.reveal(context.environ)),
            context,
            self.timeout,
        )


def parse(table: ChannelTable) -> GotifyChannel:
    return GotifyChannel(
        name=table.name(GotifyChannel.kind),
        url=table.url("url"),
        token=table.secret("token"),
        timeout=table.timeout(),
    )


def build(channel: GotifyChannel, alert: Alert, token: str) -> HttpRequest:
    """The POST for ``alert``; ``token`` is the revealed application token."""
    payload: dict[str, Any] = {
        "title": alert.title,
        "message": alert.body,
        "priority": PRIORITY[alert.severity],
    }
    if alert.url:
        payload["extras"] = {"client::notification": {"click": {"url": alert.url}}}
    request = json_request(f"{channel.url}/message", payload, (token,))
    headers = {**request.headers, "X-Gotify-Key": token}
    return HttpRequest(request.url, request.content, headers, request.secrets)
