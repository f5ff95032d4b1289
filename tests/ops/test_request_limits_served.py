"""Through gunicorn, a request larger than its sender may send is refused before the server
reads its body: the answer comes while the client has sent only the start, and nothing
is spooled to disk. A signed-in governance user still uploads a table."""

import pytest

from tests.ops.served import Browser, folder_bytes, multipart, send_start_only, served

pytestmark = [pytest.mark.subprocess, pytest.mark.own_sqlite]

FORM = "/public/sue/other-formats/"
IMPORT = "/strategies/sue/import/"
GIGABYTE = 1024**3
CSV = (
    b"Workstream,Description,Owner,Due,Status\n"
    b"Patient voice,Run a listening event in each directorate.,EM,31/03/2017,In progress\n"
)


@pytest.fixture(scope="module")
def server(tmp_path_factory, prepared_databases):
    folder = tmp_path_factory.mktemp("served")
    with served(folder, workers=2, prepared=prepared_databases) as found:
        yield found


def upload_start(browser, path):
    """The head of a multipart upload to ``path`` (for ``send_start_only``) and its first
    64 KB: the CSRF token, then a file."""
    token = browser.token(path)
    body, kind = multipart({"csrfmiddlewaretoken": token}, {"file": ("big.csv", b"x" * 65536)})
    head = (
        f"POST {path} HTTP/1.1\nHost: 127.0.0.1\nCookie: {browser.cookie_header()}\n"
        f"Content-Type: {kind}\n"
    )
    return head, body[:65536]


def test_a_signed_out_gigabyte_is_refused_before_the_server_reads_it(server):
    head, start = upload_start(Browser(server.port), FORM)

    answer = send_start_only(server.port, head + f"Content-Length: {GIGABYTE}\n", start)

    assert answer.status == 413, answer.text
    assert answer.closed_by_server, answer
    assert "the largest planboard accepts is 2.5" in answer.text
    assert folder_bytes(server.temp) == 0


def test_a_signed_out_chunked_upload_is_refused_before_the_server_reads_it(server):
    head, start = upload_start(Browser(server.port), FORM)
    chunk = f"{len(start):x}\r\n".encode() + start + b"\r\n"

    answer = send_start_only(server.port, head + "Transfer-Encoding: chunked\n", chunk)

    assert answer.status == 411, answer.text
    assert answer.closed_by_server, answer
    assert "did not say how large it was" in answer.text
    assert folder_bytes(server.temp) == 0


def test_governance_uploads_a_table_but_not_a_gigabyte(server):
    browser = Browser(server.port)
    browser.sign_in("governance", server.passwords["governance"])

    uploaded = browser.post(IMPORT, {"sheet": ""}, {"file": ("tracker.csv", CSV)})
    assert uploaded.status == 302, uploaded.text
    assert uploaded.headers["Location"].startswith(IMPORT)
    assert "tracker.csv" in browser.get(uploaded.headers["Location"]).text

    head, start = upload_start(browser, IMPORT)
    answer = send_start_only(server.port, head + f"Content-Length: {GIGABYTE}\n", start)
    assert answer.status == 413, answer.text
    assert answer.closed_by_server, answer
    assert "the largest planboard accepts is 21.0" in answer.text
    assert folder_bytes(server.temp) == 0


def test_a_signed_out_file_within_the_form_limit_is_refused_too(server):
    browser = Browser(server.port)
    fields = {"format": "large_print", "name": "Sam", "contact": "sam@example.org"}

    answer = browser.post(FORM, fields, {"file": ("plan.csv", CSV)})

    assert answer.status == 403
    assert "Only the governance team may send files." in answer.text
