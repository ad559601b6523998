"""Slack: a message posted to an incoming webhook.

::

    [[notify.channel]]
    type = "slack"
    url = "env:SLACK_WEBHOOK_URL"   # https://hooks.slack.com/services/T…/B…/…

The webhook URL holds its token, so it is a secret (a value or ``env:``). The
message is ``{"text": ...}`` in Slack's mrkdwn: the title in bold, then the
body and the link, with ``&``, ``<`` and ``>`` escaped as Slack requires and
cut to the 4,000 characters Slack shows in full.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from komodo_guard.notify.channels.http import (
    HttpRequest,
    json_request,
    send_http,
    url_secrets,
)
from komodo_guard.notify.interface import ChannelTable, Outcome, Secret, SendContext
from komodo_guard.notify.message import Alert, truncate

TEXT_LIMIT = 4000
KEYS = ("url",)


@dataclass(frozen=True)
class SlackChannel:
    """A Slack incoming webhook."""

    kind: ClassVar[str] = "slack"
    name: str
    url: Secret
    timeout: float

    def send(self, alert: Alert, context: SendContext) -> Outcome:
        return send_http(
            lambda: build(alert, self.url.reveal(context.environ)),
            context,
            self.timeout,
        )


def parse(table: ChannelTable) -> SlackChannel:
    return SlackChannel(
        name=table.name(SlackChannel.kind),
        url=table.secret_url("url"),
        timeout=table.timeout(),
    )


def build(alert: Alert, url: str) -> HttpRequest:
    """The webhook POST for ``alert``; ``url`` is the revealed webhook URL."""
    text = f"*{escape(alert.title)}*\n{escape(alert.text())}"
    return json_request(url, {"text": truncate(text, TEXT_LIMIT)}, url_secrets(url))


def escape(text: str) -> str:
    """``text`` with the three characters Slack treats as markup escaped."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
