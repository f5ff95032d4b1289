"""``planboard api-token``: make a token from the shell (printed once, last), list an
account's tokens and revoke one; a mistake is one line and writes nothing."""

import io
from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.db import connections
from django.utils import timezone

from planboard import cli
from planboard.api import tokens
from planboard.api.models import ApiToken
from tests.bounds import database_fingerprint
from tests.cast import make_user

pytestmark = pytest.mark.django_db


def api_token(*args, **options) -> list[str]:
    out = io.StringIO()
    call_command("api_token", *args, stdout=out, **options)
    return out.getvalue().splitlines()


def test_create_prints_the_token_alone_on_the_last_line(cast):
    lines = api_token("create", user="mia", scope="read", name="Power BI")

    secret = lines[-1]
    token = tokens.find(secret)
    assert token is not None and token.user == cast.mia
    assert (token.name, token.scope) == ("Power BI", "read")
    assert timedelta(days=89) < token.expires_at - timezone.now() <= timedelta(days=90)
    assert secret not in "\n".join(lines[:-1])
    assert token.prefix in lines[0] and "shown this once" in lines[1]


@pytest.mark.parametrize("expires, days", [("never", None), ("30", 30), ("366", 366)])
def test_create_takes_days_or_never(cast, expires, days):
    secret = api_token("create", user="mia", scope="write", expires=expires)[-1]

    token = tokens.find(secret)
    assert token.writes and token.name == "Made on the command line"
    if days is None:
        assert token.expires_at is None
    else:
        assert token.expires_at - token.created_at == timedelta(days=days)


@pytest.mark.parametrize(
    "options, said",
    [
        ({"user": "nobody", "scope": "read"}, '--user: there is no user "nobody"'),
        ({"user": "switched", "scope": "read"}, "--user: the account"),
        ({"user": "mia", "scope": "admin"}, "--scope: Choose whether"),
        ({"user": "mia"}, "--scope: say read"),
        ({"user": "mia", "scope": "read", "expires": "soon"}, "--expires: give a whole"),
        ({"user": "mia", "scope": "read", "expires": "0"}, "--expires: A token expires"),
        ({"user": "mia", "scope": "read", "expires": "367"}, "--expires: A token expires"),
        ({"user": "mia", "scope": "read", "name": " "}, "--name: Enter what"),
    ],
)
def test_a_mistake_names_the_option_and_writes_nothing(cast, options, said):
    make_user("switched", is_active=False)
    before = database_fingerprint()

    with pytest.raises(CommandError) as refused:
        api_token("create", **options)

    assert str(refused.value).startswith(said)
    assert "\n" not in str(refused.value)
    assert database_fingerprint() == before


def test_on_the_command_line_a_mistake_is_one_line_and_a_failure(cast, capsys, monkeypatch):
    # The command closes the database connections as it ends; here they are the test's.
    monkeypatch.setattr(connections, "close_all", lambda: None)

    with pytest.raises(SystemExit) as stopped:
        cli.main(["planboard", "api-token", "create", "--user", "mia", "--scope", "all"])

    assert stopped.value.code != 0
    assert capsys.readouterr().err.count("\n") == 1
    assert not ApiToken.objects.exists()


def test_list_shows_each_token_and_revoke_stops_one(cast):
    kept, _ = tokens.create_token(cast.mia, owner=cast.mia, name="Intranet", scope="read")
    gone, secret = tokens.create_token(cast.mia, owner=cast.mia, name="Script", scope="write")
    tokens.record_use(kept, "192.0.2.7")

    said = api_token("revoke", gone.prefix + "…", user="mia")
    again = api_token("revoke", gone.prefix, user="mia")
    listed = api_token("list", user="mia")

    assert said == [f'Revoked the token "Script" ({gone.prefix}).']
    assert "already revoked" in again[0]
    assert tokens.find(secret) is None
    assert listed[0] == "mia: 2 API tokens"
    script, intranet = listed[1:]
    assert gone.prefix in script and "Revoked" in script and "never used" in script
    assert kept.prefix in intranet and "Active" in intranet and "from 192.0.2.7" in intranet


@pytest.mark.parametrize("prefix, said", [("pb_zzzzzzzz", "has no token"), ("pb_", "too short")])
def test_revoke_refuses_a_prefix_of_no_token_of_the_account(cast, prefix, said):
    tokens.create_token(cast.gail, owner=cast.gail, name="Gail's", scope="read")

    with pytest.raises(CommandError, match=said):
        api_token("revoke", prefix, user="mia")
    others = ApiToken.objects.get()
    with pytest.raises(CommandError, match="has no token"):
        api_token("revoke", others.prefix, user="mia")
    assert ApiToken.objects.get().revoked_at is None
