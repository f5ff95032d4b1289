"""A real OpenID Connect provider for the sign-in tests: panva's oidc-provider (npm),
run by ``provider.mjs`` in a Node process of its own on a free port of 127.0.0.1.

``oidc_provider`` starts it once per test process, with signing keys made here (an RSA
key published without ``alg``, as some providers do) and the test accounts below;
``single_sign_on`` points planboard's settings at it. ``through_the_provider`` walks its
sign-in pages over HTTP as a browser would and returns the address the provider sends
the browser back to, for the Django test client to open.
"""

import json
import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin, urlparse

import jwt
import pytest
import requests
from cryptography.hazmat.primitives.asymmetric import rsa
from django.urls import reverse

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
CLIENT_ID = "planboard"
CLIENT_SECRET = "a secret for the tests only"
PASSWORD = "provider password 7"
GOVERNANCE_CLAIM = "planboard-governance"
BOARD_CLAIM = "planboard-board"
TENANT = "9188040d-6c67-4c5b-b112-36a304b66dad"

# Test accounts at the provider: login -> claims.
ACCOUNTS = {
    # In the key of the seed paper by e-mail (the tests set it on "Mia Bajin").
    "mia": {
        "email": "mia.bajin@nhs.net",
        "email_verified": True,
        "given_name": "Mia",
        "family_name": "Bajin",
        "name": "Mia Bajin",
    },
    # As Microsoft Entra ID signs in: no e-mail, a preferred_username, a tenant and an object id.
    "entra": {
        "preferred_username": "jane.lyon@nhs.net",
        "name": "Jane Lyon",
        "tid": TENANT,
        "oid": "2b7c8e57-5d2f-4f1e-a8a5-6a8c2bde0f11",
    },
    # In nobody's entry in the key, but in a group the settings map to Governance.
    "governor": {"email": "head.of.governance@nhs.net", "groups": [GOVERNANCE_CLAIM, "Staff"]},
    # In the key nowhere, in no mapped group.
    "stranger": {"email": "someone.else@nhs.net", "groups": ["Staff"]},
    # No e-mail and no username at all.
    "nameless": {"name": "Nameless"},
}


@dataclass
class TestProvider:
    issuer: str
    process: subprocess.Popen
    private_jwks: dict

    def forge(self, claims=None, *, stranger=False):
        """Have the next token response carry an ID token with ``claims`` changed (None
        removes a claim), signed with the provider's key or, with ``stranger``, another."""
        answer = requests.post(
            f"{self.issuer}/_test/forge",
            json={"claims": claims or {}, "stranger": stranger},
            timeout=5,
        )
        answer.raise_for_status()

    def change_claims(self, login, **changes):
        """Change the claims of the account ``login`` at the provider (None removes one)."""
        claims = {k: v for k, v in {**ACCOUNTS[login], **changes}.items() if v is not None}
        answer = requests.post(
            f"{self.issuer}/_test/claims", json={"login": login, "claims": claims}, timeout=5
        )
        answer.raise_for_status()


def signing_keys() -> dict:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(key))
    jwk.update(kid="planboard-test-key", use="sig")
    jwk.pop("alg", None)
    jwk.pop("key_ops", None)
    return {"keys": [jwk]}


@pytest.fixture(scope="session")
def oidc_provider(tmp_path_factory):
    """The provider, started once per test process and stopped at its end."""
    node = shutil.which("node")
    if node is None or not (ROOT / "node_modules" / "oidc-provider").exists():
        pytest.fail("Node.js and oidc-provider are missing: run `make setup` (npm ci).")
    keys = signing_keys()
    config = {
        "client": {
            "client_id": CLIENT_ID,
            "client_secret": CLIENT_SECRET,
            "redirect_uris": ["http://testserver/sign-in/callback/"],
            "post_logout_redirect_uris": ["http://testserver/sign-in/"],
            "grant_types": ["authorization_code"],
            "response_types": ["code"],
            "token_endpoint_auth_method": "client_secret_post",
        },
        "accounts": {
            login: {"password": PASSWORD, "claims": claims} for login, claims in ACCOUNTS.items()
        },
        "jwks": keys,
    }
    folder = tmp_path_factory.mktemp("oidc")
    path = folder / "provider.json"
    path.write_text(json.dumps(config))
    log = (folder / "provider.log").open("w")
    process = subprocess.Popen(  # noqa: S603 - the project's own script
        [node, str(HERE / "provider.mjs"), str(path)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=log,
        text=True,
        env={**os.environ, "NODE_ENV": "test"},
    )
    line = process.stdout.readline()
    if not line.startswith("ready "):
        process.kill()
        process.wait()
        log.close()
        told = (folder / "provider.log").read_text()
        pytest.fail(f"The test provider did not start: {line}{told}")
    try:
        yield TestProvider(line.split()[1], process, keys)
    finally:
        process.terminate()
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        process.stdout.close()
        log.close()


@pytest.fixture
def single_sign_on(oidc_provider, settings):
    """planboard's settings pointed at the test provider, as docs/sign-in.md sets them."""
    from planboard.people import provider

    settings.OIDC_ISSUER = oidc_provider.issuer
    settings.OIDC_RP_CLIENT_ID = CLIENT_ID
    settings.OIDC_RP_CLIENT_SECRET = CLIENT_SECRET
    settings.OIDC_GROUP_MAP = {GOVERNANCE_CLAIM: "Governance", BOARD_CLAIM: "Board member"}
    settings.OIDC_BUTTON_LABEL = "Sign in with NHSmail"
    provider.forget()
    yield oidc_provider
    provider.forget()


def through_the_provider(client, login, *, password=PASSWORD, start=None) -> str:
    """Sign in at the provider as ``login``, starting from planboard's button (or the
    address ``start``), and return the address the provider sends the browser back to."""
    answer = client.get(start or reverse("sign_in_provider"))
    assert answer.status_code == 302, answer
    browser = requests.Session()
    url = answer["Location"]
    for _ in range(10):
        if urlparse(url).hostname == "testserver":
            parts = urlparse(url)
            return f"{parts.path}?{parts.query}"
        page = browser.get(url, allow_redirects=False, timeout=10)
        if page.status_code == 200 and "<form" in page.text:
            page = browser.post(
                url,
                data={"username": login, "password": password},
                allow_redirects=False,
                timeout=10,
            )
        assert page.status_code in (302, 303), page.text
        url = urljoin(url, page.headers["Location"])
    raise AssertionError("the provider never sent the browser back")
