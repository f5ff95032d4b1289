"""An import never changes what the public page shows: imported actions are unpublished
until someone publishes them, and a re-import changes the plan's wording, not the public
summaries the page shows."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from planboard.imports.models import ConfirmedImport
from planboard.plans.models import Action, Theme
from planboard.public.models import ActionPublication

pytestmark = pytest.mark.django_db

IMPORT = "/strategies/sue/import/"


def public_views() -> dict[str, bytes]:
    """The public page, its JSON feed and its CSV, as a member of the public gets them."""
    client = Client()
    pages = {}
    for path in ("/public/", "/public/sue/", "/public/sue.json", "/public/sue.csv"):
        response = client.get(path)
        assert response.status_code == 200, path
        pages[path] = response.content
    return pages


def governance(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def import_file(client, data: bytes, **choice):
    file = SimpleUploadedFile("7. tracker.csv", data, content_type="text/csv")
    staged = client.post(IMPORT, {"file": file, **choice})
    assert staged.status_code == 302, staged.text
    assert client.post(staged.url + "confirm/").status_code == 302


def test_new_actions_in_a_new_theme_leave_the_public_page_as_it_was(published, editor):
    before = public_views()
    client = governance(editor)

    import_file(
        client,
        b"Ref,Action,Lead,Due,RAG\n"
        b",Run a listening event in each directorate.,EM,March 2027,Green\n"
        b",Write a leaflet on giving feedback.,EM,June 2027,Amber\n",
        into="new-theme",
        theme_name="Carers",
    )

    theme = Theme.objects.get(strategy=published, title="Carers")
    assert theme.actions.count() == 2
    assert not ActionPublication.objects.filter(action__theme=theme).exists()
    assert public_views() == before


def test_a_reimport_changing_published_actions_wording_leaves_the_public_page(published, editor):
    shown = Action.objects.for_strategy(published).filter(publication__published=True)
    first = shown.select_related("theme").first()
    assert first is not None
    before = public_views()
    client = governance(editor)

    import_file(client, f"Ref,Action\n{first.ref},Reworded by the tracker.\n".encode())

    assert Action.objects.get(pk=first.pk).text == "Reworded by the tracker."
    assert ConfirmedImport.objects.get().summary["updated"] == 1
    assert public_views() == before
