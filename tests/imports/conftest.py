"""The small plan and the people of the web pages' tests, for the import page's jobs."""

from tests.web.conftest import board_member, client_for, governor, lead, small_plan  # noqa: F401
