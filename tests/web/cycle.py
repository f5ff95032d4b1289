"""Driving the quarterly cycle's pages as a browser would: read the form, change, send."""

from planboard.plans.models import RagLevel
from tests.web.pages import form_data


def update_url(ref, slug="demo"):
    return f"/strategies/{slug}/actions/{ref}/update/"


def level_id(strategy, label):
    return str(RagLevel.objects.get(strategy=strategy, label=label).pk)


def open_form(client, ref, slug="demo"):
    """The update form's fields as the page sets them (hidden version and period too)."""
    response = client.get(update_url(ref, slug))
    assert response.status_code == 200, response.status_code
    return form_data(response.text)


def send_update(client, ref, slug="demo", data=None, **changes):
    """Post the update form: ``data`` as read earlier (else read now), with ``changes``."""
    fields = dict(data if data is not None else open_form(client, ref, slug))
    fields.pop("decision", None)
    for name, value in changes.items():
        if value is None:
            fields.pop(name, None)
        else:
            fields[name] = value
    return client.post(update_url(ref, slug), fields)


def review_url(period="2016-17-q4", slug="demo"):
    return f"/strategies/{slug}/periods/{period}/review/"


def decide(client, update, decision, comment="", version=None, period="2016-17-q4"):
    update.refresh_from_db()
    return client.post(
        review_url(period),
        {
            "update": str(update.pk),
            "version": str(update.version if version is None else version),
            "decision": decision,
            "comment": comment,
        },
    )
