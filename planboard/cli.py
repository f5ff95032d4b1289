"""The ``planboard`` command: Django's manage.py with planboard's settings.

Commands may be written with hyphens (``import-paper``) as the docs do, or with
underscores as Django names them. A configuration or database error stops it with
one line, not a traceback.
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
    from django.db import DatabaseError

    try:
        execute_from_command_line(argv)
    except ImproperlyConfigured as err:
        sys.stderr.write(f"planboard: configuration error: {err}\n")
        sys.exit(2)
    except DatabaseError as err:
        first_line = str(err).strip().splitlines()[0] if str(err).strip() else type(err).__name__
        sys.stderr.write(
            f"planboard: database error: {first_line} "
            "(is DATABASE_URL right, and has `planboard migrate` been run?)\n"
        )
        sys.exit(1)


if __name__ == "__main__":
    main()
