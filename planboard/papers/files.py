"""Trusts' Word templates and the paper files made: kept, replaced and deleted by the
governance team, through these services only.

Checking a template renders a sample paper in a process of its own (``docx_check``);
the admin's form checks an upload to show what is wrong beside the field, and the
service checks it again, so a template that passed is remembered by its checksum (and
the limits it passed under) for the second time.
"""

import hashlib
from collections import OrderedDict

from django.conf import settings
from django.db import transaction

from planboard.lib.services import ServiceError, service
from planboard.papers.formats.docx_check import TemplateProblem, check_template
from planboard.people.permissions import require_governance

MAX_TEMPLATE_BYTES = 10 * 1024 * 1024
_PASSED: OrderedDict[tuple, None] = OrderedDict()  # the last few templates that passed
_LIMITS = (
    "OFFICE_MAX_XML_BYTES",
    "OFFICE_MAX_UNPACKED_BYTES",
    "OFFICE_MAX_PARTS",
    "OFFICE_MAX_PACKING_RATIO",
    "TEMPLATE_CHECK_MEMORY_MB",
    "TEMPLATE_CHECK_SECONDS",
)


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
    passed = (hashlib.sha256(data).hexdigest(), *(getattr(settings, n) for n in _LIMITS))
    if passed in _PASSED:
        return
    try:
        check_template(data)
    except TemplateProblem as problem:
        raise ServiceError(f"{name}: {problem}", "upload") from None
    _PASSED[passed] = None
    while len(_PASSED) > 8:
        _PASSED.popitem(last=False)


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
