"""A real SMTP server on a local port, for the tests of sending: it takes each message
a client sends over a socket (HELO or EHLO, MAIL, RCPT, DATA, QUIT) and keeps it.

Python 3.11's own ``smtpd`` is deprecated; this is the little of the protocol that
Django's SMTP backend speaks.
"""

import email
import email.policy
import socketserver
import threading
from contextlib import contextmanager


class _Handler(socketserver.StreamRequestHandler):
    def reply(self, line: str) -> None:
        self.wfile.write(f"{line}\r\n".encode())

    def handle(self):
        self.reply("220 localhost test SMTP server")
        recipients = []
        while line := self.rfile.readline():
            command = line.decode("ascii", "replace").strip()
            verb = command[:4].upper()
            if verb == "EHLO":
                self.reply("250-localhost")
                self.reply("250 8BITMIME")
            elif verb == "HELO":
                self.reply("250 localhost")
            elif verb == "MAIL":
                recipients = []
                self.reply("250 OK")
            elif verb == "RCPT":
                recipients.append(command.split(":", 1)[1].strip(" <>"))
                self.reply("250 OK")
            elif verb == "DATA":
                self.reply("354 End data with <CR><LF>.<CR><LF>")
                data = self._data()
                if self.server.hang:  # the message taken, and never answered
                    self.server.hanging.set()
                    self.server.released.wait()
                    return
                if self.server.slow:  # a slow server: it answers, in the end
                    self.server.released.wait(self.server.slow)
                self.server.keep(data, recipients)
                self.reply("250 OK: queued")
            elif verb == "QUIT":
                self.reply("221 Bye")
                return
            else:  # RSET, NOOP
                self.reply("250 OK")

    def _data(self) -> bytes:
        lines = []
        while (line := self.rfile.readline()) not in (b".\r\n", b""):
            lines.append(line[1:] if line.startswith(b"..") else line)
        return b"".join(lines)


class SmtpServer(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, hang=False, slow=0.0):
        super().__init__(("127.0.0.1", 0), _Handler)
        self.slow = slow
        self.messages = []
        self.lock = threading.Lock()
        self.hang = hang
        self.hanging = threading.Event()
        self.released = threading.Event()

    @property
    def port(self) -> int:
        return self.server_address[1]

    def keep(self, data: bytes, recipients: list[str]) -> None:
        message = email.message_from_bytes(data, policy=email.policy.default)
        with self.lock:
            self.messages.append((recipients, message))


@contextmanager
def smtp_server(*, hang=False, slow=0.0):
    """An SmtpServer answering on a free local port until the block ends; with ``hang``
    it never answers a message it is sent, as a server that stalls; with ``slow`` it
    answers each message that many seconds after taking it."""
    server = SmtpServer(hang, slow)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.released.set()
        server.shutdown()
        server.server_close()
