"""A real SMTP server on loopback (aiosmtpd) for the mail tests: it records every message it accepts, and
can be told to answer slowly, to refuse an address, or to do something at the moment it accepts."""

import asyncio
import email
import email.policy
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from aiosmtpd.controller import Controller

REFUSAL = "550 5.1.1 No such user"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass(frozen=True)
class Received:
    """One message as the server accepted it."""

    recipients: tuple[str, ...]  # the envelope's RCPT TO
    to: str
    subject: str
    message_id: str
    text: str
    html: str


class Mailbox:
    """The aiosmtpd handler. `delay`: seconds handle_DATA waits before answering (a slow server);
    `refused`: addresses refused at RCPT with 550; `on_data`: called when a message's data has come,
    before the wait; `on_accept`: called with each message once it is recorded and before the server
    answers 250 (the message is then the server's, whatever happens to the client)."""

    def __init__(self):
        self.messages: list[Received] = []
        self.delay = 0.0
        self.refused: set[str] = set()
        self.on_data: Callable[[], None] | None = None
        self.on_accept: Callable[[Received], None] | None = None
        self._changed = threading.Condition()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.casefold() in {refused.casefold() for refused in self.refused}:
            return REFUSAL
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.on_data is not None:
            self.on_data()
        if self.delay:
            # a client that goes away meanwhile cancels this: the message is not accepted
            await asyncio.sleep(self.delay)
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        received = Received(
            recipients=tuple(envelope.rcpt_tos),
            to=str(message["To"]),
            # Django folds a long encoded subject onto the next line; the fold is not part of it
            subject=str(message["Subject"]).strip(),
            message_id=str(message["Message-ID"]),
            text=message.get_body(("plain",)).get_content(),
            html=message.get_body(("html",)).get_content(),
        )
        with self._changed:
            self.messages.append(received)
            self._changed.notify_all()
        if self.on_accept is not None:
            self.on_accept(received)
        return "250 2.0.0 Message accepted for delivery"

    def wait_for(self, count: int, timeout: float) -> list[Received]:
        """Wait until at least `count` messages were accepted (or `timeout` seconds); the messages."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while len(self.messages) < count and (left := deadline - time.monotonic()) > 0:
                self._changed.wait(left)
            return list(self.messages)


class SMTPServer:
    """An aiosmtpd server on 127.0.0.1:`port` that can be stopped and started again on the same port,
    with the same mailbox."""

    def __init__(self, port: int | None = None):
        self.port = port or free_port()
        self.mailbox = Mailbox()
        self._controller: Controller | None = None

    def start(self) -> None:
        self._controller = Controller(
            self.mailbox, hostname="127.0.0.1", port=self.port, server_hostname="localhost"
        )
        self._controller.start()

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    @property
    def messages(self) -> list[Received]:
        return list(self.mailbox.messages)
