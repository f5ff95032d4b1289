"""The browser tests' snapshots (tests/browser/snapshots.py) give back exactly the data built,
and only where the database holds what the snapshot was made from."""

import pytest
from django.core.management import call_command
from django.db import connection

from tests.bounds import database_fingerprint
from tests.browser import snapshots
from tests.conftest import SEED_PAPER


@pytest.mark.django_db(transaction=True)
def test_a_snapshot_is_restored_only_onto_what_it_was_made_from(django_user_model, monkeypatch):
    from planboard.imports.services import import_paper
    from planboard.plans.models import Strategy

    monkeypatch.setattr(snapshots, "_snapshots", {})
    built = []

    @snapshots.snapshot(parent=None)
    def seed():
        built.append("seed")
        import_paper(SEED_PAPER, slug="sue")
        return Strategy.objects.get(slug="sue")

    @snapshots.snapshot(parent="seed")
    def reader(strategy):
        built.append("reader")
        return django_user_model.objects.create_user("jlyon", first_name=strategy.slug)

    first = reader(seed())
    as_built = database_fingerprint()
    call_command("flush", interactive=False, verbosity=0)
    again = reader(seed())
    if connection.vendor != "sqlite":
        assert built == ["seed", "reader"] * 2, "no snapshots but of SQLite: built again"
        return
    assert built == ["seed", "reader"], "restored, not built again"
    assert database_fingerprint() == as_built
    assert (again.pk, again.first_name) == (first.pk, first.first_name)
    assert again is not first

    call_command("flush", interactive=False, verbosity=0)
    django_user_model.objects.create_user("someone")
    strategy = seed()
    assert built == ["seed", "reader", "seed"], "a row was there first: built"
    reader(strategy)
    assert built[-1] == "reader", "not on the snapshot it was made from: built"
    assert django_user_model.objects.filter(username="someone").exists()
