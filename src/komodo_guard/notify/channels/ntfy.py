"""ntfy: the body posted to a topic URL, with title, priority and tags as headers.

::

    [[notify.channel]]
    type = "ntfy"
    url = "https://ntfy.example.org/komodo"   # server and topic, or "env:NTFY_URL"
    token = "env:NTFY_TOKEN"                   # optional: access token (Bearer)

Headers: ``Title`` (RFC 2047-encoded when not ASCII), ``Priority`` (error 4,
warning 3, info 2, resolved 2), ``Tags`` (an emoji short code for the severity
and the transition), ``Click`` with the alert's link when it is ASCII (header
values must be).

On a server without access control (``ntfy.sh``) the topic name is the only
secret: whoever knows it reads the alerts. So ``url`` is a secret like the
webhook URLs of the other channels: a value or ``env:VARIABLE``, masked (with
its path, the topic) in every error and log line.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from typing import ClassVar

from komodo_guard.notify.channels.http import HttpRequest, send_http, url_secrets
from komodo_guard.notify.interface import ChannelTable, Outcome, Secret, SendContext
from komodo_guard.notify.message import Alert, Severity

KEYS = ("url", "token")

PRIORITY = {
    Severity.ERROR: "4",
    Severity.WARNING: "3",
    Severity.INFO: "2",
    Severity.RESOLVED: "2",
}
TAG = {
    Severity.ERROR: "rotating_light",
    Severity.WARNING: "warning",
    Severity.INFO: "information_source",
    Severity.RESOLVED: "white_check_mark",
}


@dataclass(frozen=True)
class NtfyChannel:
    """An ntfy topic."""

    kind: ClassVar[str] = "ntfy"
    name: str
    url: Secret
    timeout: float
    token: Secret | None = None

    def send(self, alert: Alert, context: SendContext) -> Outcome:
        def request() -> HttpRequest:
            url = self.url.reveal(context.environ)
            return build(alert, url, self.reveal(context))

        return send_http(request, context, self.timeout)

    def reveal(self, context: SendContext) -> str | None:
        return self.token.reveal(context.environ) if self.token else None


def parse(table: ChannelTable) -> NtfyChannel:
    return NtfyChannel(
        name=table.name(NtfyChannel.kind),
        url=table.secret_url("url"),
        timeout=table.timeout(),
        token=table.optional_secret("token"),
    )


def build(alert: Alert, url: str, token: str | None) -> HttpRequest:
    """The POST for ``alert`` to the revealed topic ``url``; ``token`` is the
    revealed access token, if any."""
    headers = {
        "Content-Type": "text/plain; charset=utf-8",
        "Title": header_text(alert.title),
        "Priority": PRIORITY[alert.severity],
        "Tags": f"{TAG[alert.severity]},{alert.transition.value}",
    }
    if alert.url and alert.url.isascii():
        headers["Click"] = alert.url
    if token:
        headers["Authorization"] = f"Bearer {token}"
    secrets = (*url_secrets(url), *((token,) if token else ()))
    return HttpRequest(url.rstrip("/"), alert.body.encode(), headers, secrets)


def header_text(text: str) -> str:
    """``text`` as is when ASCII, else as an RFC 2047 encoded word ntfy decodes."""
    flat = " ".join(text.split())
    if flat.isascii():
        return flat
    encoded = base64.b64encode(flat.encode()).decode()
    return f"=?UTF-8?B?{encoded}?="
