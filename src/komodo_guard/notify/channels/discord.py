"""Discord: a message posted to a channel's webhook URL.

::

    [[notify.channel]]
    type = "discord"
    name = "ops-discord"
    url = "env:DISCORD_WEBHOOK_URL"   # https://discord.com/api/webhooks/<id>/<token>
    username = "komodo-guard"         # optional: the name shown as author

The webhook URL holds its token, so it is a secret (a value or ``env:``). The
message is ``{"content": ...}``: the title in bold, the body, the link, cut to
Discord's 2,000-character limit. Mentions are switched off so text from a
finding can never ping ``@everyone``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from komodo_guard.notify.channels.http import (
    HttpRequest,
    json_request,
    send_http,
    url_secrets,
)
from komodo_guard.notify.interface import ChannelTable, Outcome, Secret, SendContext
from komodo_guard.notify.message import Alert, truncate

CONTENT_LIMIT = 2000
KEYS = ("url", "username")


@dataclass(frozen=True)
class DiscordChannel:
    """A Discord webhook."""

    kind: ClassVar[str] = "discord"
    name: str
    url: Secret
    timeout: float
    username: str | None = None

    def send(self, alert: Alert, context: SendContext) -> Outcome:
        return send_http(
            lambda: build(self, alert, self.url.reveal(context.environ)),
            context,
            self.timeout,
        )


def parse(table: ChannelTable) -> DiscordChannel:
    return DiscordChannel(
        name=table.name(DiscordChannel.kind),
        url=table.secret_url("url"),
        timeout=table.timeout(),
        username=table.optional_text("username"),
    )


def build(channel: DiscordChannel, alert: Alert, url: str) -> HttpRequest:
    """The webhook POST for ``alert``; ``url`` is the revealed webhook URL."""
    payload: dict[str, Any] = {
        "content": truncate(content(alert), CONTENT_LIMIT),
        "allowed_mentions": {"parse": []},
    }
    if channel.username:
        payload["username"] = channel.username
    return json_request(url, payload, url_secrets(url))


def content(alert: Alert) -> str:
    return f"**{alert.title}**\n{alert.text()}"
