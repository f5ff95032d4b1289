"""Trusts' Word templates and the paper files made: kept, replaced and deleted by the
governance team, through these services only."""

import hashlib

from django.db import transaction

from planboard.lib.services import ServiceError, service
from planboard.papers.formats.docx_check import TemplateProblem, check_template
from planboard.people.permissions import require_governance

MAX_TEMPLATE_BYTES = 10 * 1024 * 1024


def check_template_size(size: int) -> None:
    """Refuse a template too large to be a board paper, before reading it."""
    if size > MAX_TEMPLATE_BYTES:
        raise ServiceError(
            "The template is larger than 10 MB; it cannot be a board paper.", "upload"
        )


def check_template_upload(name: str, data: bytes) -> None:
    """Refuse, in one line naming the file, a template too large or one that is not a
    Word template planboard can fill."""
    check_template_size(len(data))
    try:
        check_template(data)
    except TemplateProblem as problem:
        raise ServiceError(f"{name}: {problem}", "upload") from None


@service
@transaction.atomic
def keep_template(template, *, user, upload: tuple[str, bytes] | None = None):
    """Save ``template``; with an ``upload`` (file name and bytes), checked, as its file."""
    require_governance(user, "upload paper templates")
    if upload is not None:
        name, data = upload
        check_template_upload(name, data)
        template.content = data
        template.checksum = hashlib.sha256(data).hexdigest()
        template.uploaded_by = user
    elif template.pk is None:
        raise ServiceError("Choose the .docx file of the template.", "upload")
    template.save()
    return template


@service
@transaction.atomic
def delete_template(template, *, user) -> None:
    require_governance(user, "delete paper templates")
    template.delete()


@service
@transaction.atomic
def delete_paper_file(job, *, user) -> None:
    """Delete a paper file made earlier; it can be made again."""
    require_governance(user, "delete paper files")
    job.delete()
