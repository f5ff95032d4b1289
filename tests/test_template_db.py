"""The test database each process copies from a template is the migrated database."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from tests.template_db import migrations_digest


@pytest.mark.django_db
def test_the_test_database_has_every_migration_applied():
    executor = MigrationExecutor(connection)
    targets = executor.loader.graph.leaf_nodes()
    assert executor.migration_plan(targets) == []
    assert set(executor.loader.applied_migrations) == set(executor.loader.graph.nodes)


def test_the_template_is_named_for_the_migrations(monkeypatch, tmp_path):
    from django.db.migrations.loader import MigrationLoader

    before = migrations_digest(connection)
    assert migrations_digest(connection) == before
    loader = MigrationLoader(None, ignore_no_migrations=True)
    key = sorted(loader.disk_migrations)[0]
    module = __import__(loader.disk_migrations[key].__module__, fromlist=["_"])
    changed = tmp_path / "changed.py"
    changed.write_text(open(module.__file__).read() + "\n# changed\n")
    monkeypatch.setattr(module, "__file__", str(changed))
    assert migrations_digest(connection) != before
