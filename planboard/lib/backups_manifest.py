"""The manifest written beside every backup, and its verification before a restore.

A backup is an ordinary SQLite file or ``pg_dump`` archive, so anyone who can write it
can change its records or add a superuser, and the result still passes every check of
a sound database. The manifest, ``PATH.manifest.json``, names the file, its size and
SHA-256, the planboard version and migrations it was made by, and when; a restore
hashes the very copy it will restore and refuses one that does not match.

It lives beside the backup rather than inside it so that the backup stays a file that
``sqlite3`` or ``pg_restore --list`` opens as it is, and ``sha256sum`` checks.

A SHA-256 on its own finds a damaged or naively edited file, but whoever can edit the
file can write a new manifest to match. With ``BACKUP_SIGNING_KEY`` set, the manifest
carries an HMAC-SHA256 made with that key, which nobody without the key can forge.
"""

import datetime
import hashlib
import hmac
import json
import os
import re
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from django.conf import settings

from planboard.lib.backups_checks import BackupError

SUFFIX = ".manifest.json"
FORMAT = "planboard-backup-manifest"
VERSION = 1
# A manifest is a few hundred bytes; anything much larger is not one, and is not read.
MAX_MANIFEST_BYTES = 64 * 1024
_SHA256 = re.compile(r"^[0-9a-f]{64}$")


def manifest_path(path: Path) -> Path:
    return path.with_name(path.name + SUFFIX)


def file_facts(path: Path) -> dict:
    """The size and SHA-256 of the file at ``path``, read in blocks."""
    digest = hashlib.sha256()
    try:
        with open(path, "rb") as file:
            for block in iter(lambda: file.read(1 << 20), b""):
                digest.update(block)
    except OSError as err:
        raise BackupError(f"Cannot read {path}: {err.strerror}.") from None
    return {"bytes": path.stat().st_size, "sha256": digest.hexdigest()}


def write_manifest(path: Path, facts: dict, *, engine: str, applied) -> dict:
    """Write the manifest of the backup at ``path``, signed when there is a key."""
    manifest = {
        "format": FORMAT,
        "version": VERSION,
        "file": path.name,
        "bytes": facts["bytes"],
        "sha256": facts["sha256"],
        "engine": engine,
        "planboard": _planboard_version(),
        "migrations": _latest_migrations(applied),
        "made": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
    }
    key = _key()
    if key:
        manifest["hmac_sha256"] = _signature(manifest, key)
    target = manifest_path(path)
    temporary = target.with_name(f".{target.name}.part")
    try:
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as file:
            json.dump(manifest, file, indent=2)
            file.write("\n")
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, target)
    except OSError as err:
        temporary.unlink(missing_ok=True)
        raise BackupError(f"Cannot write the manifest {target}: {err.strerror}.") from None
    return manifest


def verify(path: Path, facts: dict, *, unverified: bool = False) -> dict:
    """Check the backup ``path`` (whose copy has ``facts``) against its manifest.

    Returns what the summary says of it: when it was made, and what was verified.
    """
    target = manifest_path(path)
    if not target.exists():
        if unverified:
            return {"made": None, "verified": "none"}
        raise BackupError(
            f"{path} has no manifest ({target.name} beside it), so it cannot be verified; "
            "restore it with --unverified only if you are sure it is the file planboard wrote."
        )
    manifest = _read(target)
    mismatch = f"{path} does not match its manifest {target.name}"
    if manifest["file"] != path.name:
        raise BackupError(f"{mismatch}: the manifest is for {manifest['file']}.")
    if manifest["bytes"] != facts["bytes"]:
        raise BackupError(
            f"{mismatch}: the file has {facts['bytes']} bytes, the manifest says "
            f"{manifest['bytes']}; the file has been changed or damaged."
        )
    if not hmac.compare_digest(manifest["sha256"], facts["sha256"]):
        raise BackupError(f"{mismatch}: its SHA-256 differs; the file has been changed.")
    key = _key()
    signature = manifest.get("hmac_sha256")
    if not key:
        checked = "sha256" if signature is None else "sha256 (signature not checked: no key)"
        return {"made": manifest["made"], "verified": checked}
    if signature is None:
        raise BackupError(
            f"{path} has an unsigned manifest, but BACKUP_SIGNING_KEY is set: it was made "
            "without the key, or its signature was removed."
        )
    if not hmac.compare_digest(str(signature), _signature(manifest, key)):
        raise BackupError(
            f"{path} has a manifest whose signature is wrong: the manifest was changed, "
            "or signed with another BACKUP_SIGNING_KEY."
        )
    return {"made": manifest["made"], "verified": "sha256 and signature"}


def _read(target: Path) -> dict:
    bad = f"{target} is not a planboard backup manifest"
    try:
        with open(target, "rb") as file:
            data = file.read(MAX_MANIFEST_BYTES + 1)
    except OSError as err:
        raise BackupError(f"Cannot read {target}: {err.strerror}.") from None
    if len(data) > MAX_MANIFEST_BYTES:
        raise BackupError(f"{bad}: it is larger than {MAX_MANIFEST_BYTES // 1024} KB.")
    try:
        manifest = json.loads(data)
    except (ValueError, RecursionError):
        raise BackupError(f"{bad}: it is not JSON.") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(f"{bad}: it does not say format {FORMAT}.")
    if manifest.get("version") != VERSION:
        raise BackupError(
            f"{target} is a backup manifest of version {manifest.get('version')!r}, which this "
            "planboard does not read (upgrade planboard first)."
        )
    fields = {"file": str, "bytes": int, "sha256": str, "made": str}
    for name, kind in fields.items():
        if not isinstance(manifest.get(name), kind) or isinstance(manifest.get(name), bool):
            raise BackupError(f"{bad}: its {name} is missing or wrong.")
    if not _SHA256.match(manifest["sha256"]):
        raise BackupError(f"{bad}: its sha256 is not a SHA-256.")
    return manifest


def _signature(manifest: dict, key: str) -> str:
    """HMAC-SHA256 of every field but the signature, as canonical JSON."""
    body = {name: value for name, value in manifest.items() if name != "hmac_sha256"}
    message = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=True)
    return hmac.new(key.encode(), message.encode(), hashlib.sha256).hexdigest()


def _key() -> str:
    return getattr(settings, "BACKUP_SIGNING_KEY", "")


def _planboard_version() -> str:
    try:
        return version("planboard")
    except PackageNotFoundError:
        return "unknown"


def _latest_migrations(applied) -> dict:
    """The newest migration of each app recorded in the backup."""
    latest = {}
    for app, name in sorted(applied):
        latest[app] = name
    return latest
