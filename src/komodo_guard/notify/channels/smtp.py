"""E-mail over SMTP (stdlib ``smtplib``), with STARTTLS, implicit TLS or plain.

::

    [[notify.channel]]
    type = "email"
    host = "smtp.example.org"
    security = "starttls"        # starttls (default, port 587) | ssl (465) | plain (25)
    port = 587                   # optional: the default of `security`
    username = "alerts@example.org"          # optional: log in as
    password = "env:SMTP_PASSWORD"           # with username; never over plain
    from = "komodo-guard <alerts@example.org>"
    to = ["ops@example.org"]
    subject_prefix = "[komodo-guard]"        # optional
    ca_file = "/etc/ssl/private-ca.pem"      # optional: trust this CA bundle

Certificates are verified (against ``ca_file`` when given). The password is
refused with ``security = "plain"``: it would cross the network in clear.
``Message-ID`` is derived from the alert key, so a duplicate delivery carries
the same id as the first and mail systems can recognise it.
"""

from __future__ import annotations

import hashlib
import smtplib
import socket
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import format_datetime
from typing import ClassVar

from komodo_guard.notify.channels.http import hide
from komodo_guard.notify.interface import (
    DELIVERED,
    ChannelTable,
    Delivery,
    NotifyError,
    Outcome,
    Secret,
    SecretUnavailableError,
    SendContext,
)
from komodo_guard.notify.message import Alert

SECURITY = ("starttls", "ssl", "plain")
DEFAULT_PORT = {"starttls": 587, "ssl": 465, "plain": 25}
KEYS = (
    "host",
    "port",
    "security",
    "username",
    "password",
    "from",
    "to",
    "subject_prefix",
    "ca_file",
)


@dataclass(frozen=True)
class EmailChannel:
    """An SMTP server and the addresses to write to."""

    kind: ClassVar[str] = "email"
    name: str
    host: str
    port: int
    security: str
    sender: str
    recipients: tuple[str, ...]
    timeout: float
    username: str | None = None
    password: Secret | None = None
    subject_prefix: str = "[komodo-guard]"
    ca_file: str | None = None

    def send(self, alert: Alert, context: SendContext) -> Outcome:
        try:
            password = self.password.reveal(context.environ) if self.password else ""
            tls = self.tls_context()
        except SecretUnavailableError as error:  # retried once it is exported
            return Outcome(Delivery.RETRYABLE, str(error))
        except NotifyError as error:
            return Outcome(Delivery.PERMANENT, str(error))
        except OSError as error:
            detail = f"cannot read ca_file: {error.strerror or type(error).__name__}"
            return Outcome(Delivery.PERMANENT, detail)
        return deliver(self, build(self, alert), password, tls)

    def tls_context(self) -> ssl.SSLContext | None:
        if self.security == "plain":
            return None
        return ssl.create_default_context(cafile=self.ca_file)


def parse(table: ChannelTable) -> EmailChannel:
    security = table.choice("security", SECURITY, "starttls")
    username = table.optional_text("username")
    password = table.optional_secret("password")
    if password is not None and username is None:
        raise table.fail("password", "needs `username` beside it")
    if password is not None and security == "plain":
        raise table.fail(
            "password",
            'would be sent unencrypted: set security = "starttls" or "ssl"',
        )
    return EmailChannel(
        name=table.name(EmailChannel.kind),
        host=table.text("host"),
        port=table.integer("port", DEFAULT_PORT[security], 1, 65535),
        security=security,
        sender=table.text("from"),
        recipients=table.texts("to"),
        timeout=table.timeout(),
        username=username,
        password=password,
        subject_prefix=table.text("subject_prefix", "[komodo-guard]"),
        ca_file=table.optional_text("ca_file"),
    )


def build(channel: EmailChannel, alert: Alert) -> EmailMessage:
    """The message for ``alert``: plain text, ``Message-ID`` from the alert key."""
    message = EmailMessage()
    title = " ".join(alert.title.split())
    message["Subject"] = f"{channel.subject_prefix} {title}".strip()
    message["From"] = channel.sender
    message["To"] = ", ".join(channel.recipients)
    message["Date"] = format_datetime(alert.created_at)
    message["Message-ID"] = message_id(alert.key)
    footer = f"severity: {alert.severity.value}, transition: {alert.transition.value}"
    message.set_content(f"{alert.text()}\n\n-- \n{footer}\n")
    return message


def message_id(key: str) -> str:
    """The same ``Message-ID`` for every delivery of the same alert key."""
    digest = hashlib.sha256(key.encode()).hexdigest()[:32]
    return f"<{digest}@komodo-guard>"


def deliver(
    channel: EmailChannel,
    message: EmailMessage,
    password: str,
    tls: ssl.SSLContext | None,
) -> Outcome:
    """Hand ``message`` to the server once and class what happened."""
    try:
        with connect(channel, tls) as smtp:
            if channel.security == "starttls":
                smtp.starttls(context=tls)
            if channel.username:
                smtp.login(channel.username, password)
            refused = smtp.send_message(message)
    except (smtplib.SMTPException, OSError) as error:
        return classify(error, channel, password)
    if refused:
        return Outcome(
            Delivery.DELIVERED, f"refused by the server: {', '.join(refused)}"
        )
    return DELIVERED


def connect(channel: EmailChannel, tls: ssl.SSLContext | None) -> smtplib.SMTP:
    local = socket.gethostname() or "komodo-guard"
    if channel.security == "ssl":
        return smtplib.SMTP_SSL(
            channel.host,
            channel.port,
            local_hostname=local,
            timeout=channel.timeout,
            context=tls,
        )
    return smtplib.SMTP(
        channel.host, channel.port, local_hostname=local, timeout=channel.timeout
    )


def classify(error: Exception, channel: EmailChannel, password: str) -> Outcome:
    """4xx answers, timeouts and lost connections are retryable; the rest is not."""
    where = f"{channel.host}:{channel.port}"
    secrets = (password,) if password else ()
    match error:
        case smtplib.SMTPRecipientsRefused():
            codes = [code for code, _ in error.recipients.values()]
            temporary = all(400 <= code < 500 for code in codes)
            detail = f"{where} refused every recipient (codes {codes})"
            return _outcome(temporary, detail)
        case smtplib.SMTPResponseException():
            text = error.smtp_error
            reply = text.decode(errors="replace") if isinstance(text, bytes) else text
            detail = f"{where} answered {error.smtp_code} {hide(reply, secrets)}"
            return _outcome(400 <= error.smtp_code < 500, detail)
        case smtplib.SMTPNotSupportedError():
            detail = f"{where} does not support what the channel needs ({error})"
            return Outcome(Delivery.PERMANENT, hide(detail, secrets))
        case ssl.SSLCertVerificationError():
            detail = f"{where} presented a certificate that does not verify"
            return Outcome(Delivery.PERMANENT, f"{detail}; see `ca_file`")
        case TimeoutError():
            return Outcome(Delivery.RETRYABLE, f"no answer from {where} in time")
    reason = type(error).__name__
    return Outcome(Delivery.RETRYABLE, f"cannot talk to {where} ({reason})")


def _outcome(temporary: bool, detail: str) -> Outcome:
    return Outcome(Delivery.RETRYABLE if temporary else Delivery.PERMANENT, detail)
