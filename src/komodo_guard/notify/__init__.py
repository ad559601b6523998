"""Alert delivery that loses nothing: channels, a persistent outbox, test sends.

- :mod:`.message`: the :class:`~.message.Alert` every channel sends.
- :mod:`.interface`: what a channel is, how a send ends, ``env:`` secrets, and
  the reader of one ``[[notify.channel]]`` table.
- :mod:`.channels`: one module per channel type and
  :func:`~.channels.parse_channels` for the ``[[notify.channel]]`` array of
  ``komodo-guard.toml``.
- :mod:`.sender`: :class:`~.sender.Sender`, one send on one channel.
- :mod:`.outbox`: the SQLite outbox that retries each alert until it is
  delivered or expires (:mod:`.retry` says when), and announces a channel that
  keeps failing on the other channels (:mod:`.failing` words it).
- :mod:`.probe`: :func:`~.probe.send_test`, one test message per channel.

Typical use::

    channels = parse_channels(config["notify"]["channel"])
    with Sender() as sender, Outbox(path, channels, sender.send) as outbox:
        outbox.enqueue(alert)
        report = outbox.deliver_due(datetime.now(UTC))
"""
