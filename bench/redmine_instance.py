"""A throw-away Redmine 5.0 (Debian's ``redmine`` package) for bench/redmine.py.

Debian installs Redmine in /usr/share/redmine and keeps each instance (its
database.yml, secret, logs, temporary files) in /usr/share/redmine/instances/NAME,
chosen by the ``REDMINE_INSTANCE`` environment variable. Here the instance lives in a
temporary folder instead: the name given is a relative path from the instances folder
up to the file system's root and down to that folder. Its database is a SQLite file in
the same folder. Redmine's Gemfile picks its database gem from the instances it finds
in /usr/share/redmine, so the instance has a Gemfile of its own that reads Redmine's and
adds the SQLite gem and puma, the server (both Debian packages, installed by
``make redmine-packages``).

The database is made as Redmine's install guide says (``rake db:migrate`` then
``rake redmine:load_default_data``); the benchmark's projects, users and issues are
then written straight into its SQLite tables in one transaction, which takes well
under a second where the REST API would take minutes for 5,000 issues.
"""

import datetime
import os
import secrets
import sqlite3
import subprocess
from pathlib import Path

REDMINE = Path("/usr/share/redmine")
ADMIN = ("admin", "admin")  # the account Redmine's first migration creates
GEMFILE = """eval_gemfile "/usr/share/redmine/Gemfile"
gem "sqlite3", "~> 1.4.0"
gem "puma"
"""
# Redmine only accepts a per_page value listed in this setting.
PER_PAGE_OPTIONS = (25, 50, 100, 500, 1000, 5000, 10000)
# planboard's status -> the name of a status in Redmine's default data.
STATUSES = {"not_started": "New", "in_progress": "In Progress", "complete": "Closed"}


def available() -> str | None:
    """None if Redmine, its SQLite gem and puma are installed, or what is missing."""
    if not (REDMINE / "Gemfile").exists():
        return "Redmine is not installed (make redmine-packages installs it)"
    for program in ("ruby", "bundle", "puma"):
        if not any(Path(p, program).exists() for p in os.environ["PATH"].split(os.pathsep)):
            return f"{program} is not installed (make redmine-packages installs it)"
    return None


def per_page(rows: int) -> int:
    """The smallest page size Redmine is allowed that shows ``rows`` issues at once."""
    return next(size for size in PER_PAGE_OPTIONS if size >= rows)


class Instance:
    """A Redmine instance in ``folder`` (which must exist and be empty)."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.database = folder / "redmine.sqlite3"
        for part in ("config", "files", "log", "public", "tmp/cache", "tmp/pids"):
            (folder / part).mkdir(parents=True, exist_ok=True)
        (folder / "config" / "database.yml").write_text(
            f"production:\n  adapter: sqlite3\n  database: {self.database}\n  timeout: 5000\n"
        )
        (folder / "config" / "secret_key.txt").write_text(secrets.token_hex(64) + "\n")
        (folder / "Gemfile").write_text(GEMFILE)
        # Up to the root from the instances folder, whether ".." is read through the
        # instances symbolic link (by the system) or not (by Ruby's path functions).
        up = "../" * (len(REDMINE.parts) + len(Path(REDMINE / "instances").resolve().parts))
        # Rails would take DATABASE_URL (planboard's, in a benchmark) over database.yml.
        self.env = {
            **{k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "PORT")},
            "REDMINE_INSTANCE": up + str(folder.resolve()).lstrip("/"),
            "BUNDLE_GEMFILE": str(folder / "Gemfile"),
            "RAILS_ENV": "production",
            "REDMINE_LANG": "en",
            # Where db:migrate dumps the schema, rather than in /usr/share/redmine.
            "SCHEMA": str(folder / "schema.rb"),
        }

    def run(self, *argv: str) -> None:
        """Run a command in Redmine's folder; its output goes to the instance's log."""
        with open(self.folder / "log" / "setup.log", "ab") as log:
            done = subprocess.run(  # noqa: S603 - fixed programs
                argv, cwd=REDMINE, env=self.env, stdout=log, stderr=subprocess.STDOUT
            )
        if done.returncode:
            tail = (self.folder / "log" / "setup.log").read_text(errors="replace")[-2000:]
            raise SystemExit(f"{' '.join(argv)} failed ({done.returncode}):\n{tail}")

    def create_database(self) -> None:
        # Two processes: one that migrated has read the tables' columns before they were
        # all there, and fails to load the default data.
        self.run("bundle", "exec", "rake", "db:migrate")
        self.run("bundle", "exec", "rake", "redmine:load_default_data")

    def serve(self, port: int) -> subprocess.Popen:
        """Start puma on 127.0.0.1:``port`` in production mode (one process, 4 threads)."""
        log = open(self.folder / "log" / "puma.log", "ab")  # noqa: SIM115 - closed with the process
        return subprocess.Popen(  # noqa: S603 - fixed programs
            ["bundle", "exec", "puma", "-e", "production", "-t", "4:4"]
            + ["-b", f"tcp://127.0.0.1:{port}", "config.ru"],
            cwd=REDMINE,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def load(self, plans: list[dict]) -> None:
        """Settings, one project per plan, a user per lead and an issue per action, in
        one transaction. Each plan is {"identifier", "name", "actions": [...]}, each
        action {"ref", "theme", "text", "progress", "status", "target_date", "lead"}."""
        now = datetime.datetime.now().isoformat(sep=" ", timespec="seconds")
        db = sqlite3.connect(self.database)
        with db:
            settings = {
                "per_page_options": ",".join(map(str, PER_PAGE_OPTIONS)),
                "issues_export_limit": str(max(PER_PAGE_OPTIONS)),
                "rest_api_enabled": "1",
            }
            for name, value in settings.items():
                db.execute("DELETE FROM settings WHERE name = ?", (name,))
                db.execute(
                    "INSERT INTO settings (name, value, updated_on) VALUES (?, ?, ?)",
                    (name, value, now),
                )
            db.execute("UPDATE users SET must_change_passwd = 0 WHERE login = ?", (ADMIN[0],))
            status = dict(db.execute("SELECT name, id FROM issue_statuses"))
            tracker = db.execute("SELECT min(id) FROM trackers").fetchone()[0]
            priority = db.execute(
                "SELECT id FROM enumerations WHERE type = 'IssuePriority' AND name = 'Normal'"
            ).fetchone()[0]
            users: dict[str, int] = {}
            for position, plan in enumerate(plans):
                project = db.execute(
                    "INSERT INTO projects (name, description, identifier, is_public, status,"
                    " lft, rgt, created_on, updated_on) VALUES (?, '', ?, 1, 1, ?, ?, ?, ?)",
                    (plan["name"], plan["identifier"], 2 * position + 1, 2 * position + 2)
                    + (now, now),
                ).lastrowid
                db.execute(
                    "INSERT INTO enabled_modules (project_id, name) VALUES (?, 'issue_tracking')",
                    (project,),
                )
                db.execute("INSERT INTO projects_trackers VALUES (?, ?)", (project, tracker))
                categories: dict[str, int] = {}
                for action in plan["actions"]:
                    theme, lead = action["theme"][:60], action["lead"]
                    if theme not in categories:
                        categories[theme] = db.execute(
                            "INSERT INTO issue_categories (project_id, name) VALUES (?, ?)",
                            (project, theme),
                        ).lastrowid
                    if lead and lead not in users:
                        users[lead] = db.execute(
                            "INSERT INTO users (login, firstname, lastname, status, type,"
                            " language, created_on, updated_on) VALUES (?, ?, ?, 1, 'User',"
                            " 'en', ?, ?)",
                            (f"lead{len(users) + 1}", lead[:30], lead[30:], now, now),
                        ).lastrowid
                    state = status[STATUSES.get(action["status"], "New")]
                    issue = db.execute(
                        "INSERT INTO issues (tracker_id, project_id, subject, description,"
                        " due_date, category_id, status_id, assigned_to_id, priority_id,"
                        " author_id, created_on, updated_on, start_date, lft, rgt,"
                        " closed_on) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?, 1, 2, ?)",
                        (tracker, project, f"{action['ref']} {action['text']}"[:255])
                        + (issue_description(action), action["target_date"])
                        + (categories[theme], state, users.get(lead), priority, now, now)
                        + (now[:10], now if action["status"] == "complete" else None),
                    ).lastrowid
                    db.execute("UPDATE issues SET root_id = id WHERE id = ?", (issue,))
        db.close()


def issue_description(action: dict) -> str:
    """The action's text, then its latest progress, as the plan page shows both."""
    return "\n\n".join(part for part in (action["text"], action["progress"]) if part)
