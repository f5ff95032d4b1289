"""A request larger than its sender may send is refused before its body is read.

Through Django's test client, with bodies that fail the test if read
(tests/ops/test_request_limits_served.py sends the same through gunicorn).
"""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from planboard.imports.models import PendingImport
from planboard.imports.safety import MAX_FILE_BYTES
from planboard.public.demo import ensure_demo_publication
from planboard.public.models import InformationRequest
from tests.bounds import cost_of, database_fingerprint
from tests.ops.served import multipart
from tests.shared import shared

pytestmark = pytest.mark.django_db

FORM = "/public/sue/other-formats/"
IMPORT = "/strategies/demo/import/"
GIGABYTE = 1024**3
GOOD = {"format": "large_print", "name": "Sam Carer", "contact": "07700 900123", "details": ""}


class Unread:
    """A request body that fails the test if any of it is read."""

    def read(self, *args):
        raise AssertionError("the request's body was read")

    readline = read


class Counted(io.BytesIO):
    """A request body that notes how much of it was read."""

    def __init__(self, data: bytes):
        super().__init__(data)
        self.taken = 0

    def read(self, size=-1):
        chunk = super().read(size)
        self.taken += len(chunk)
        return chunk

    def readline(self, size=-1):
        line = super().readline(size)
        self.taken += len(line)
        return line


def send(
    client, path, body, *, length=None, content_type="multipart/form-data; boundary=x", **extra
):
    """POST ``body`` (a stream) to ``path``, declaring ``length`` when given."""
    environ = {"CONTENT_TYPE": content_type, "wsgi.input": body, **extra}
    if length is not None:
        environ["CONTENT_LENGTH"] = str(length)
    return client.generic("POST", path, **environ)


def refusal(response) -> str:
    text = response.text
    return text[
        text.index('<p class="pb-refusal">') + 22 : text.index("</p>", text.index("pb-refusal"))
    ]


@shared
def published(seed_strategy, cast):
    """The seed strategy with its public page, whose form anyone may send."""
    ensure_demo_publication(seed_strategy, user=cast.gail)
    return seed_strategy


@pytest.fixture
def signed_out(published):
    """A client with a CSRF cookie from a public page, as an attacker would have."""
    client = Client(enforce_csrf_checks=True)
    assert client.get(FORM).status_code == 200
    assert "csrftoken" in client.cookies
    return client


def test_a_signed_out_upload_of_a_gigabyte_is_refused_before_it_is_read(signed_out):
    before = database_fingerprint()

    cost = cost_of(send, signed_out, FORM, Unread(), length=GIGABYTE)

    assert cost.error is None and cost.within_limits(), cost
    response = cost.result
    assert response.status_code == 413
    assert refusal(response) == (
        "The request was 1.0\xa0GB; the largest planboard accepts is 2.5\xa0MB, "
        "and only the governance team may send files."
    )
    assert "<title>What you sent is too large" in response.text
    assert "Strategy progress" in response.text  # the public layout, under /public/
    assert database_fingerprint() == before


def test_a_body_that_does_not_say_its_size_is_not_read(signed_out):
    response = send(signed_out, FORM, Unread(), HTTP_TRANSFER_ENCODING="chunked")

    assert response.status_code == 411
    assert refusal(response) == (
        "The request did not say how large it was, so planboard did not read it."
    )


def test_a_form_over_the_form_limit_is_refused_unless_its_sender_may_send_files(
    client_for, lead, governor, small_plan
):
    three_mb = 3 * 1024 * 1024
    url = "/strategies/demo/actions/1.1/update/"
    kind = "application/x-www-form-urlencoded"

    refused = send(client_for(lead), url, Unread(), length=three_mb, content_type=kind)

    assert refused.status_code == 413
    assert "The request was 3.0\xa0MB; the largest planboard accepts is 2.5\xa0MB" in refusal(
        refused
    )
    assert "Go to the strategies" in refused.text  # the signed-in layout
    # The governance team may send that much (Django's own limit on a form's text
    # then answers, as it always has).
    allowed = send(client_for(governor), url, Counted(b"x" * three_mb), length=three_mb)
    assert allowed.status_code != 413


def test_governance_may_send_no_more_than_the_upload_limit(client_for, governor, small_plan):
    response = send(client_for(governor), IMPORT, Unread(), length=30 * 1024 * 1024)

    assert response.status_code == 413
    assert refusal(response) == (
        "The request was 30.0\xa0MB; the largest planboard accepts is 21.0\xa0MB."
    )


def test_governance_may_still_send_the_largest_file_an_import_takes(
    client_for, governor, small_plan
):
    data = b"%PDF-1.7\n" + b"x" * (MAX_FILE_BYTES - 9)
    file = SimpleUploadedFile("plan.csv", data, content_type="text/csv")

    response = client_for(governor).post(IMPORT, {"file": file})

    # The import's own check answers, not the request's limit.
    assert response.status_code == 400
    assert "plan.csv:" in response.text and "PDF" in response.text
    assert not PendingImport.objects.exists()


def test_a_file_from_someone_who_may_not_send_one_is_refused_before_it_is_read(signed_out):
    token = signed_out.cookies["csrftoken"].value
    body, kind = multipart(
        {"csrfmiddlewaretoken": token, **GOOD}, {"attachment": ("plan.csv", b"x" * 2_000_000)}
    )
    stream = Counted(body)

    response = send(signed_out, FORM, stream, length=len(body), content_type=kind)

    assert response.status_code == 403
    assert "Only the governance team may send files." in response.text
    assert stream.taken < 200_000  # the form's fields and the file's first chunk at most
    assert not InformationRequest.objects.exists()


def test_a_lead_may_not_send_a_file_either(lead, small_plan):
    client = Client(enforce_csrf_checks=True)  # so the CSRF check reads the form first
    client.force_login(lead)
    client.get("/")
    file = SimpleUploadedFile("workplan.csv", b"Action\nRun an event.\n", content_type="text/csv")
    token = client.cookies["csrftoken"].value

    response = client.post(IMPORT, {"csrfmiddlewaretoken": token, "file": file})

    assert response.status_code == 403
    assert "Only the governance team may send files." in response.text
    assert not PendingImport.objects.exists()


def test_a_form_sent_as_multipart_without_a_file_is_taken_as_any_form(signed_out):
    token = signed_out.cookies["csrftoken"].value
    body, kind = multipart({"csrfmiddlewaretoken": token, **GOOD}, {})

    response = send(signed_out, FORM, Counted(body), length=len(body), content_type=kind)

    assert response.status_code == 302
    assert InformationRequest.objects.count() == 1
