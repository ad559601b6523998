"""Generic webhook: the alert as JSON, optionally signed with HMAC-SHA256.

::

    [[notify.channel]]
    type = "webhook"
    url = "https://hooks.example.org/komodo"   # a value or env: (may hold a token)
    secret = "env:KOMODO_GUARD_HOOK_SECRET"    # optional: signs each body

Body: ``{"body", "created_at", "key", "severity", "title", "transition",
"url"}`` (compact JSON, sorted keys). With ``secret``, the header
``X-Komodo-Guard-Signature: sha256=<hex>`` carries the HMAC-SHA256 of the
exact body bytes under the secret; a receiver recomputes it over the raw body
and compares in constant time. Delivery is at least once: a receiver that
must not act twice keeps the ``key`` values it has seen and drops repeats.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from typing import ClassVar

from komodo_guard.notify.channels.http import HttpRequest, send_http, url_secrets
from komodo_guard.notify.interface import ChannelTable, Outcome, Secret, SendContext
from komodo_guard.notify.message import Alert

SIGNATURE_HEADER = "X-Komodo-Guard-Signature"
KEYS = ("url", "secret")


@dataclass(frozen=True)
class WebhookChannel:
    """Any HTTP endpoint that accepts the alert as JSON."""

    kind: ClassVar[str] = "webhook"
    name: str
    url: Secret
    timeout: float
    secret: Secret | None = None

    def send(self, alert: Alert, context: SendContext) -> Outcome:
        def request() -> HttpRequest:
            key = self.secret.reveal(context.environ) if self.secret else None
            return build(alert, self.url.reveal(context.environ), key)

        return send_http(request, context, self.timeout)


def parse(table: ChannelTable) -> WebhookChannel:
    return WebhookChannel(
        name=table.name(WebhookChannel.kind),
        url=table.secret_url("url"),
        timeout=table.timeout(),
        secret=table.optional_secret("secret"),
    )


def build(alert: Alert, url: str, secret: str | None) -> HttpRequest:
    """The POST for ``alert``; ``secret`` is the revealed signing key, if any."""
    body = alert.to_json().encode()
    headers = {"Content-Type": "application/json"}
    if secret:
        headers[SIGNATURE_HEADER] = f"sha256={sign(body, secret)}"
    hidden = (*url_secrets(url), secret) if secret else url_secrets(url)
    return HttpRequest(url, body, headers, hidden)


def sign(body: bytes, secret: str) -> str:
    """The hex HMAC-SHA256 of ``body`` under ``secret``."""
    return hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
