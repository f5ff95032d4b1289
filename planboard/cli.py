"""The ``planboard`` command: Django's manage.py with planboard's settings.

Commands may be written with hyphens (``import-paper``) as the docs do, or with
underscores as Django names them. A configuration error stops it with one line
naming the variable, not a traceback.
"""

import os
import sys


def main(argv=None):
    argv = list(sys.argv if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "planboard.settings")
    if len(argv) > 1 and not argv[1].startswith("-"):
        argv[1] = argv[1].replace("-", "_")
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    try:
        execute_from_command_line(argv)
    except ImproperlyConfigured as err:
        sys.stderr.write(f"planboard: configuration error: {err}\n")
        sys.exit(2)


if __name__ == "__main__":
    main()
