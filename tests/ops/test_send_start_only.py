"""``send_start_only`` (tests/ops/served.py) tells a server that answered and closed the
connection without the rest of the body from one that waited for it."""

import socket
import threading

from tests.ops.served import send_start_only

HEAD = "POST / HTTP/1.1\nHost: 127.0.0.1\nContent-Length: 1000000\n"


def listening(answer: bytes | None):
    """A server on a free port that reads the start of a request, then answers ``answer``
    and closes the connection, or (None) waits for the rest of the body."""
    server = socket.create_server(("127.0.0.1", 0))
    done = threading.Event()

    def serve():
        connection, _ = server.accept()
        with connection:
            connection.recv(65536)
            if answer is None:
                done.wait(5)
            else:
                connection.sendall(answer)

    threading.Thread(target=serve, daemon=True).start()
    return server, done


def test_an_answer_without_the_body_is_closed_by_the_server():
    server, _ = listening(b"HTTP/1.1 413 Request Entity Too Large\r\n\r\nToo large")
    with server:
        answer = send_start_only(server.getsockname()[1], HEAD, b"x" * 100, wait=5)
    assert answer.status == 413
    assert answer.closed_by_server


def test_a_server_waiting_for_the_body_is_not():
    server, done = listening(None)
    with server:
        answer = send_start_only(server.getsockname()[1], HEAD, b"x" * 100, wait=0.5)
        done.set()
    assert answer.status == 0
    assert not answer.closed_by_server
