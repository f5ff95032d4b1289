"""The request-size limits are settings read from the environment, with defaults that
leave room for the largest file planboard takes."""

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from planboard.imports.safety import MAX_FILE_BYTES
from planboard.papers.files import MAX_TEMPLATE_BYTES

MB = 1024 * 1024


def test_the_default_upload_limit_holds_the_largest_file_and_its_form():
    assert settings.REQUEST_MAX_UPLOAD_BYTES == 21 * MB
    assert settings.REQUEST_MAX_UPLOAD_BYTES >= max(MAX_FILE_BYTES, MAX_TEMPLATE_BYTES) + MB


def test_the_default_form_limit_is_djangos_own_limit_on_a_forms_text():
    assert settings.REQUEST_MAX_FORM_BYTES == 2_621_440
    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE == settings.REQUEST_MAX_FORM_BYTES


def test_the_limits_are_read_from_the_environment(read_settings):
    found = read_settings({"REQUEST_MAX_UPLOAD_BYTES": "5000000", "REQUEST_MAX_FORM_BYTES": "1000"})

    assert (found.REQUEST_MAX_UPLOAD_BYTES, found.REQUEST_MAX_FORM_BYTES) == (5_000_000, 1000)
    assert found.DATA_UPLOAD_MAX_MEMORY_SIZE == 1000


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"REQUEST_MAX_UPLOAD_BYTES": "lots"}, "REQUEST_MAX_UPLOAD_BYTES must be a whole number"),
        ({"REQUEST_MAX_FORM_BYTES": "0"}, "REQUEST_MAX_FORM_BYTES must be above 0"),
        (
            {"REQUEST_MAX_UPLOAD_BYTES": "1000", "REQUEST_MAX_FORM_BYTES": "2000"},
            "no more than REQUEST_MAX_UPLOAD_BYTES",
        ),
    ],
)
def test_a_bad_limit_stops_the_process_naming_it(read_settings, env, message):
    with pytest.raises(ImproperlyConfigured, match=message):
        read_settings(env)
