"""Pushover: a form posted to the messages API.

::

    [[notify.channel]]
    type = "pushover"
    token = "env:PUSHOVER_APP_TOKEN"    # the application's API token
    user = "env:PUSHOVER_USER_KEY"      # the user or group key
    # api_url = "https://api.pushover.net/1/messages.json"   (the default)

Form fields ``token``, ``user``, ``title``, ``message``, ``priority`` (error 1,
warning 0, info -1, resolved -1; never 2, which needs acknowledgements) and,
with a link, ``url``. Title, message and link are cut to Pushover's 250, 1,024
and 512 characters. ``api_url`` exists so tests and relays can point elsewhere.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar
from urllib.parse import urlencode

from komodo_guard.notify.channels.http import HttpRequest, send_http
from komodo_guard.notify.interface import ChannelTable, Outcome, Secret, SendContext
from komodo_guard.notify.message import Alert, Severity, truncate

DEFAULT_API_URL = "https://api.pushover.net/1/messages.json"
KEYS = ("token", "user", "api_url")

PRIORITY = {
    Severity.ERROR: "1",
    Severity.WARNING: "0",
    Severity.INFO: "-1",
    Severity.RESOLVED: "-1",
}


@dataclass(frozen=True)
class PushoverChannel:
    """A Pushover application sending to one user or group."""

    kind: ClassVar[str] = "pushover"
    name: str
    token: Secret
    user: Secret
    timeout: float
    api_url: str = DEFAULT_API_URL

    def send(self, alert: Alert, context: SendContext) -> Outcome:
        def request() -> HttpRequest:
            token = self.token.reveal(context.environ)
            return build(self, alert, token, self.user.reveal(context.environ))

        return send_http(request, context, self.timeout)


def parse(table: ChannelTable) -> PushoverChannel:
    return PushoverChannel(
        name=table.name(PushoverChannel.kind),
        token=table.secret("token"),
        user=table.secret("user"),
        timeout=table.timeout(),
        api_url=table.url("api_url", DEFAULT_API_URL),
    )


def build(channel: PushoverChannel, alert: Alert, token: str, user: str) -> HttpRequest:
    """The form POST for ``alert`` with the revealed token and user key."""
    fields = {
        "token": token,
        "user": user,
        "title": truncate(alert.title, 250),
        "message": truncate(alert.body, 1024),
        "priority": PRIORITY[alert.severity],
    }
    if alert.url:
        fields["url"] = truncate(alert.url, 512)
    headers = {"Content-Type": "application/x-www-form-urlencoded"}
    body = urlencode(fields).encode()
    return HttpRequest(channel.api_url, body, headers, (token, user))
