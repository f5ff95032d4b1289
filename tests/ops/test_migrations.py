"""Every model change comes with its migration."""

import pytest
from django.core.management import call_command


@pytest.mark.django_db
def test_there_are_no_pending_migrations():
    try:
        call_command("makemigrations", "--check", "--dry-run", verbosity=0)
    except SystemExit as exit_:
        pytest.fail(
            f"models have changes without migrations (exit {exit_.code}); "
            "run planboard makemigrations"
        )
