"""Every setting read from the environment is documented in docs/configuration.md, so a
limit added to the settings cannot be left out of the page operators read."""

import ast
from pathlib import Path

import planboard

SETTINGS = [
    Path(planboard.__file__).with_name(name) for name in ("settings.py", "settings_sign_in.py")
]
CONFIGURATION = Path(planboard.__file__).resolve().parent.parent / "docs" / "configuration.md"
READERS = {"env_str", "env_bool", "env_int", "env_list", "env_date"}


def variables_read() -> set[str]:
    names = set()
    nodes = [node for module in SETTINGS for node in ast.walk(ast.parse(module.read_text()))]
    for node in nodes:
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in READERS
            and node.args
            and isinstance(node.args[0], ast.Constant)
        ):
            names.add(node.args[0].value)
    return names


def test_the_settings_read_the_variables_found_here():
    assert {
        "SECRET_KEY",
        "REQUEST_MAX_UPLOAD_BYTES",
        "OFFICE_MAX_XML_MB",
        "DEMO_TODAY",
        "OIDC_CLIENT_ID",
    } <= (variables_read())


def test_every_variable_is_documented_in_the_configuration_page():
    page = CONFIGURATION.read_text()
    missing = sorted(name for name in variables_read() if f"`{name}`" not in page)
    assert not missing, f"not in docs/configuration.md: {', '.join(missing)}"
