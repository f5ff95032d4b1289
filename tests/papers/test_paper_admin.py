"""The admin of papers: a trust's Word template is checked on upload; files are a record."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from planboard.papers.formats.docx_template import build_default_template
from planboard.papers.generation import active_template, write_paper
from planboard.papers.models import CoverSheet, GeneratedPaper, PaperTemplate
from tests.web.pages import form_data


@pytest.fixture
def admin(client, django_user_model):
    client.force_login(django_user_model.objects.create_superuser("admin"))
    return client


def _upload(admin, data, name="board-paper.docx", **fields):
    values = {"name": "Our board paper", "active": "on", **fields}
    values["upload"] = SimpleUploadedFile(name, data)
    return admin.post(reverse("admin:papers_papertemplate_add"), values)


def test_a_good_template_is_kept_and_used_for_word_papers(admin, closed_q3):
    response = _upload(admin, build_default_template(), strategy=closed_q3.strategy.pk)
    assert response.status_code == 302, response.content.decode()[:2000]
    template = PaperTemplate.objects.get()
    assert template.uploaded_by.username == "admin"
    assert len(template.checksum) == 64
    assert active_template(closed_q3.strategy) == template
    written = write_paper(closed_q3.strategy, closed_q3, "docx")
    assert written.template == template
    assert written.content[:2] == b"PK"


@pytest.mark.parametrize(
    "data, says",
    [
        (b"not a zip at all", "board-paper.docx:"),
        (b"", "The submitted file is empty"),
        (b"PK\x03\x04 a broken zip", "board-paper.docx:"),
    ],
)
def test_a_file_that_is_not_a_word_template_is_refused(admin, db, data, says):
    response = _upload(admin, data)
    assert response.status_code == 200
    assert says in response.content.decode()
    assert not PaperTemplate.objects.exists()


def test_a_template_with_a_broken_tag_is_refused_with_a_message(admin, db):
    source = io.BytesIO(build_default_template())
    broken = io.BytesIO()
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(broken, "w") as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "word/document.xml":
                data = data.replace(b"{{", b"{{ {%", 1)
            zout.writestr(item, data)
    response = _upload(admin, broken.getvalue())
    assert response.status_code == 200
    assert "board-paper.docx:" in response.content.decode()
    assert not PaperTemplate.objects.exists()


def test_generated_files_are_listed_but_not_added_or_edited(admin, closed_q3):
    job = GeneratedPaper.objects.create(
        strategy=closed_q3.strategy, period=closed_q3, format="pdf", filename="x.pdf"
    )
    assert admin.get(reverse("admin:papers_generatedpaper_changelist")).status_code == 200
    assert admin.get(reverse("admin:papers_generatedpaper_add")).status_code == 403
    change = admin.get(reverse("admin:papers_generatedpaper_change", args=[job.pk]))
    assert change.status_code == 200
    assert b'name="_save"' not in change.content


def test_the_cover_sheet_admin_refuses_a_stale_save(admin, seed_strategy):
    sheet = CoverSheet.objects.get(strategy=seed_strategy, period=None)
    url = reverse("admin:papers_coversheet_change", args=[sheet.pk])
    values = form_data(admin.get(url).content.decode())
    CoverSheet.objects.filter(pk=sheet.pk).update(title="Saved meanwhile", version=2)
    response = admin.post(url, dict(values, title="Mine"))
    assert response.status_code == 200
    assert "Someone else saved this cover sheet" in response.content.decode()
    assert CoverSheet.objects.get(pk=sheet.pk).title == "Saved meanwhile"
    values = form_data(response.content.decode())
    assert values["version"] == "2"
    assert admin.post(url, dict(values, title="Mine")).status_code == 302
    sheet.refresh_from_db()
    assert (sheet.title, sheet.version) == ("Mine", 3)
