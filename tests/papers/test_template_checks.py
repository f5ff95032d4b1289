"""A trust's Word template is opened as every Word document is, and tried on a sample
paper under a memory and a time limit: a hostile template is refused in one line naming
it, within the time and memory limits, through the admin, the service and a paper made
with it, and the database is left as it was.

The 0.7 MB and 3 MB templates that took a web worker to 3.9 GB and 15.9 GB held
hundreds of megabytes of Word paragraphs packed into under a megabyte: python-docx
takes 9 to 21 bytes of memory per byte of XML, and docxtpl's rendering time grows with
the square of a document's size. They are built here as one compressed megabyte
repeated (tests/imports/hostile/packages.py).
"""

import functools

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from planboard.lib import office
from planboard.lib.services import ServiceError
from planboard.papers import files
from planboard.papers.formats.docx import render
from planboard.papers.formats.docx_check import check_template, sample_paper
from planboard.papers.formats.docx_template import build_default_template
from planboard.papers.generation import write_paper
from planboard.papers.models import PaperTemplate
from tests.bounds import cost_of, database_fingerprint, refused_within_limits
from tests.imports.hostile import packages
from tests.papers.word import word_template

NAME = "board-paper.docx"
DOCUMENT = "word/document.xml"
IN_MEDIA = "word/media/document.xml"
NUMBERED_PARAGRAPH = "<w:p><w:r><w:t>Action {}</w:t></w:r></w:p>"
ADD = reverse("admin:papers_papertemplate_add")


@functools.cache
def hostile(case: str) -> tuple[bytes, str]:
    """The template and the start of what its refusal says after the file's name."""
    template = build_default_template()
    cases = {
        "0.7 MB of packed paragraphs": (
            lambda: packages.padded(template, DOCUMENT, b"</w:body>", packages.PARAGRAPH, 150),
            "The part word/document.xml is packed",
        ),
        "3 MB of packed paragraphs": (
            lambda: packages.padded(template, DOCUMENT, b"</w:body>", packages.PARAGRAPH, 700),
            "The file would unpack to 70",
        ),
        "20 MB of loosely packed paragraphs": (
            lambda: packages.numbered(template, DOCUMENT, b"</w:body>", NUMBERED_PARAGRAPH, 20),
            "The file holds 20 MB of XML to read at once, more than the 16 MB allowed.",
        ),
        "a zip that lies about its sizes": (
            lambda: packages.lying(template, DOCUMENT, b"</w:body>", packages.PARAGRAPH, 1000),
            "The zip is damaged (Bad CRC-32 for file",
        ),
        "main document in media with entities": (
            lambda: packages.with_doctype(packages.moved(template, {DOCUMENT: IN_MEDIA}), IN_MEDIA),
            "The file contains XML entity definitions (in word/media/document.xml), "
            "which are not allowed.",
        ),
        "main document in media, too large": (
            lambda: packages.numbered(
                packages.moved(template, {DOCUMENT: IN_MEDIA}),
                IN_MEDIA,
                b"</w:body>",
                NUMBERED_PARAGRAPH,
                20,
            ),
            "The file holds 20 MB of XML to read at once",
        ),
        "a loop inside a loop": (
            lambda: word_template(
                "{% for a in range(100000) %}{% for b in range(100000) %}{% endfor %}{% endfor %}"
            ),
            "The template takes more than 0.5 seconds to render a sample paper: look for a loop "
            "inside a loop, or rows repeated many times.",
        ),
        "output that grows": (
            lambda: word_template('{% for a in range(100000) %}{{ "x" * 100000 }}{% endfor %}'),
            "The template needs more than 512 MB of memory to render a sample paper",
        ),
    }
    make, says = cases[case]
    return make(), says


CASES = [
    "0.7 MB of packed paragraphs",
    "3 MB of packed paragraphs",
    "20 MB of loosely packed paragraphs",
    "a zip that lies about its sizes",
    "main document in media with entities",
    "main document in media, too large",
    "a loop inside a loop",
    "output that grows",
]


@pytest.fixture(scope="module", autouse=True)
def fork_server():
    """Start the process templates are tried in, as a web worker's first check does."""
    check_template(word_template("{{ paper.strategy }}"))


@pytest.fixture(autouse=True)
def half_a_second_to_render(settings):
    """The sample of a good template renders in a tenth of a second."""
    settings.TEMPLATE_CHECK_SECONDS = 0.5


@pytest.fixture
def admin(client, django_user_model):
    client.force_login(django_user_model.objects.create_superuser("admin"))
    assert client.get(ADD).status_code == 200  # the admin's first page costs a second
    return client


def test_the_hostile_templates_are_as_small_as_those_reported():
    assert len(hostile("0.7 MB of packed paragraphs")[0]) < 0.7 * 1024 * 1024
    assert len(hostile("3 MB of packed paragraphs")[0]) < 3 * 1024 * 1024


@pytest.mark.parametrize("case", CASES)
def test_the_admin_refuses_a_hostile_template_within_limits(case, admin):
    data, says = hostile(case)
    before = database_fingerprint()
    upload = SimpleUploadedFile(NAME, data)
    values = {"name": "Our board paper", "active": "on", "upload": upload}
    cost = cost_of(admin.post, ADD, values)
    assert cost.within_limits(), cost
    assert cost.result.status_code == 200
    page = cost.result.content.decode()
    assert f"{NAME}: {says}".replace("'", "&#x27;") in page
    assert not PaperTemplate.objects.exists()
    assert database_fingerprint() == before


@pytest.mark.parametrize("case", CASES)
def test_the_service_refuses_it_on_the_upload_field(case, gail):
    data, says = hostile(case)
    before = database_fingerprint()
    template = PaperTemplate(name="Our board paper")
    cost = refused_within_limits(
        files.keep_template, template, user=gail, upload=(NAME, data), expect=ServiceError
    )
    assert str(cost.error).startswith(f"{NAME}: {says}"), cost.error
    assert cost.error.field == "upload"
    assert database_fingerprint() == before


def test_a_good_template_is_checked_once_for_the_form_and_the_service(admin, monkeypatch):
    checks = []
    monkeypatch.setattr(files, "check_template", lambda data: checks.append(len(data)))
    upload = SimpleUploadedFile(NAME, word_template("{{ paper.strategy }} (a good one)"))
    values = {"name": "Ours", "active": "on", "upload": upload}
    response = admin.post(ADD, values)
    assert response.status_code == 302
    assert len(checks) == 1


def test_a_paper_made_with_a_stored_hostile_template_fails_within_limits(closed_q3):
    """A template stored by another door (a strategy's JSON) is checked when it is used."""
    data, _ = hostile("0.7 MB of packed paragraphs")
    says = "the Word template is refused: the part word/document.xml is packed"
    cost = refused_within_limits(render, sample_paper(), template=data, expect=office.Refused)
    assert str(cost.error).startswith(says)
    PaperTemplate.objects.create(name="Sneaked in", content=data, checksum="x")
    with pytest.raises(office.Refused, match=says):
        write_paper(closed_q3.strategy, closed_q3, "docx")
