"""The plan of the pages that change the plan: the small plan with its people and an
open quarter (tests/progress)."""

from tests.progress.conftest import plan  # noqa: F401 - a fixture
