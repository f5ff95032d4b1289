"""planboard served by gunicorn on the demo data, and a small client that talks to it as a
browser would (cookies, the CSRF token) or as an attacker would (a raw socket).

For the tests of what only a real server shows: how a request's body is read, and what
several workers share. Starting one costs about ten seconds (a new database migrated,
the demo loaded, gunicorn started), so a test file starts one for all its tests, and the
tests are marked ``subprocess``; a server on a SQLite file of its own starts on a copy of
the demo database made once for the whole run (tests/prepared.py).
"""

import http.client
import re
import socket
import subprocess
import time
import uuid
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path

from django.conf import settings

from tests.ops.conftest import PLANBOARD, unconfigured_environment

ACCOUNT_LINE = re.compile(r"^\s+(governance|lead|board)\s+(\S+)\s+\(", re.MULTILINE)
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
# gunicorn's access log, with the worker's process id first ("<1234>", see ``served``).
ACCESS_FORMAT = '%(p)s "%(r)s" %(s)s'


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Served:
    port: int
    passwords: dict[str, str]
    temp: Path  # the server's temporary folder, where Django would spool uploads
    log: Path

    def access_log(self) -> list[tuple[str, str, int]]:
        """(worker pid, request line, status) of every request answered so far."""
        found = re.findall(r'^<(\d+)> "([^"]*)" (\d{3})$', self.log.read_text(), re.MULTILINE)
        return [(pid, line, int(status)) for pid, line, status in found]


@contextmanager
def served(
    folder: Path,
    *,
    workers: int = 2,
    env: dict | None = None,
    passwords: dict | None = None,
    prepared=None,
):
    """The demo served by ``planboard serve`` with ``workers`` workers, in ``folder``.

    ``passwords``, the demo accounts' from a server already serving the same database
    (``DATABASE_URL`` in ``env``), starts another server on it without setting it up again.
    ``prepared`` (the ``prepared_databases`` fixture) gives a server on its own SQLite
    file a copy of the demo database made once for the run, instead of making its own.
    """
    temp = folder / "tmp"
    temp.mkdir(parents=True)
    # The static files this test run collected, rather than collecting them again.
    (folder / "var").mkdir()
    (folder / "var" / "static").symlink_to(settings.STATIC_ROOT)
    base = unconfigured_environment()
    base.update(
        {
            "PLANBOARD_VAR_DIR": str(folder / "var"),
            "DEBUG": "false",
            "HTTPS": "false",
            "TMPDIR": str(temp),
            # The process id of the worker that answered, to tell the workers apart.
            "GUNICORN_CMD_ARGS": f"--access-logformat '{ACCESS_FORMAT}'",
            **(env or {}),
        }
    )
    if passwords is None and prepared is not None and "DATABASE_URL" not in (env or {}):
        passwords = dict(ACCOUNT_LINE.findall(prepared.copy(folder / "var", demo=True)))
    elif passwords is None:
        for command in (["migrate", "-v", "0"], ["demo"]):
            done = subprocess.run(  # noqa: S603 - our own command with fixed arguments
                [str(PLANBOARD), *command], env=base, capture_output=True, text=True, check=True
            )
        passwords = dict(ACCOUNT_LINE.findall(done.stdout))
    port = free_port()
    log = folder / "server.log"
    with log.open("w") as output:
        server = subprocess.Popen(  # noqa: S603 - our own command with fixed arguments
            [str(PLANBOARD), "serve", "--port", str(port), "--workers", str(workers)],
            env=base,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    try:
        _wait_until_answering(port, server, log)
        yield Served(port=port, passwords=passwords, temp=temp, log=log)
    finally:
        server.terminate()
        server.wait(timeout=30)


def _wait_until_answering(port, server, log, seconds=30):
    deadline = time.monotonic() + seconds
    while True:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            if server.poll() is not None or time.monotonic() > deadline:
                raise AssertionError(f"the server did not start:\n{log.read_text()}") from None
            time.sleep(0.2)


@dataclass
class Response:
    status: int
    headers: dict[str, str]
    text: str
    content: bytes = b""  # the body as sent, for a file


@dataclass
class Browser:
    """Keeps cookies, and sends forms with the CSRF token of the page they came from."""

    port: int
    cookies: dict[str, str] = field(default_factory=dict)

    def request(self, method, path, body=b"", headers=None) -> Response:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        sent = {"Cookie": self.cookie_header(), **(headers or {})}
        connection.request(method, path, body=body, headers=sent)
        answer = connection.getresponse()
        for value in answer.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(value).items():
                self.cookies[name] = morsel.value
        content = answer.read()
        response = Response(
            answer.status, dict(answer.headers), content.decode("utf-8", "replace"), content
        )
        connection.close()
        return response

    def cookie_header(self) -> str:
        return "; ".join(f"{name}={value}" for name, value in self.cookies.items())

    def get(self, path) -> Response:
        return self.request("GET", path)

    def token(self, path) -> str:
        """The CSRF token of the form on ``path`` (and its cookie, kept)."""
        page = self.get(path)
        found = TOKEN.search(page.text)
        assert found, f"no form on {path} ({page.status})"
        return found.group(1)

    def post(self, path, fields: dict, files: dict | None = None) -> Response:
        fields = {"csrfmiddlewaretoken": self.token(path), **fields}
        body, kind = multipart(fields, files or {})
        return self.request("POST", path, body, {"Content-Type": kind})

    def sign_in(self, username, password) -> None:
        response = self.post("/sign-in/", {"username": username, "password": password})
        assert response.status == 302, response.text


def multipart(fields: dict, files: dict) -> tuple[bytes, str]:
    """A multipart/form-data body of ``fields`` and ``files`` (name: (file name, bytes))."""
    boundary = uuid.uuid4().hex
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        for name, value in fields.items()
    ]
    for name, (filename, data) in files.items():
        head = (
            f"--{boundary}\r\nContent-Disposition: form-data; "
            f'name="{name}"; filename="{filename}"\r\n'
            "Content-Type: application/octet-stream\r\n\r\n"
        )
        parts.append(head.encode() + data + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def folder_bytes(folder: Path) -> int:
    """How much the files under ``folder`` hold."""
    return sum(path.stat().st_size for path in folder.rglob("*") if path.is_file())


@dataclass
class Answer:
    status: int
    text: str
    seconds: float  # from the first byte sent to the last byte of the answer
    # The server ended the answer by closing the connection, while the rest of the body
    # was never sent: it did not wait for it (a server waiting for it would leave this
    # client to give up after its own ``wait``).
    closed_by_server: bool


def send_start_only(port, head: str, start: bytes, *, wait: float = 10.0) -> Answer:
    """Send a request's head and the start of its body, never the rest, and read the answer.

    A server that waits for the rest of the body gives no answer within ``wait`` seconds.
    """
    with socket.create_connection(("127.0.0.1", port), timeout=wait) as sock:
        started = time.monotonic()
        sock.sendall(head.replace("\n", "\r\n").encode() + b"\r\n" + start)
        answer = b""
        closed_by_server = True
        try:
            while chunk := sock.recv(65536):
                answer += chunk
        except ConnectionResetError:
            pass
        except TimeoutError:
            closed_by_server = False
        seconds = time.monotonic() - started
    status_line, _, _ = answer.partition(b"\r\n")
    status = int(status_line.split()[1]) if status_line else 0
    return Answer(status, answer.decode("utf-8", "replace"), seconds, closed_by_server)
