"""How much of a request planboard reads: a large request is refused before its body is.

Only the governance team sends files (a table to import, a Word template for papers;
``people.permissions.may_send_files``); everyone else sends forms of text. So:

- a request whose declared body (``Content-Length``) is over ``REQUEST_MAX_FORM_BYTES``
  is refused unless its sender may send files, and over ``REQUEST_MAX_UPLOAD_BYTES``
  even then;
- a body that does not declare its length (``Transfer-Encoding: chunked``) is refused,
  whoever sends it. gunicorn passes such a body on without a ``Content-Length``, and
  Django reads a request's body only up to the length it declares, none without one, so
  such a body was never read; it is refused now rather than silently taken as empty;
- in a multipart form from someone who may not send files, a file is refused (403) as
  soon as its part begins, before any of it is read. The form's text fields are read as
  usual: a form without a file may come as multipart too (Django's test client sends
  every form so).

The sizes are checked in the middleware's ``__call__``, after the session and the
account are known (neither reads the body) and before any middleware's ``process_view``
runs: Django's CSRF check reads ``request.POST`` there, which would otherwise read, and
spool to disk, a signed-out client's upload before sign-in is even asked for; the
refusal of a file is set up there too, and acts when the body is first parsed. A size
refusal is "413 Content Too Large" (411 for a body of no declared length), a plain page
saying what was too large and the limit.
"""

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler
from django.shortcuts import render
from django.template.defaultfilters import filesizeformat

from planboard.people.permissions import may_send_files, require_file_rights

TOO_LARGE = 413
LENGTH_REQUIRED = 411


class RequestSizeLimit:
    """Refuse, before its body is read, a request larger than its sender may send."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        refusal = refuse_oversize(request)
        if refusal is not None:
            return refusal
        return self.get_response(request)


def declared_length(request) -> int | None:
    """The body's length as the request declares it; None when it declares none.

    A length Django cannot read is taken as Django takes it, as no body at all.
    """
    raw = request.META.get("CONTENT_LENGTH")
    if raw in (None, ""):
        return None
    try:
        return max(int(raw), 0)
    except ValueError:
        return 0


def refuse_oversize(request):
    """The refusal page for a request larger than its sender may send, or None."""
    length = declared_length(request)
    if length is None:
        if request.META.get("HTTP_TRANSFER_ENCODING"):
            return _refusal(
                request,
                "What you sent could not be read",
                "The request did not say how large it was, so planboard did not read it.",
                status=LENGTH_REQUIRED,
            )
        length = 0
    multipart = request.content_type == "multipart/form-data"
    if length <= settings.REQUEST_MAX_FORM_BYTES and not multipart:
        return None  # a form of text: nobody need be asked
    sends_files = may_send_files(request.user)
    if sends_files:
        limit = settings.REQUEST_MAX_UPLOAD_BYTES
    else:
        limit = settings.REQUEST_MAX_FORM_BYTES
    if length > limit:
        return _too_large(request, length, limit, files=sends_files)
    if not sends_files:
        request.upload_handlers = [FilesRefused(request)]
    return None


class FilesRefused(FileUploadHandler):
    """Refuses a file in a multipart form as soon as its part begins, before any of its
    bytes are read, for someone who may not send files: the 403 page says so."""

    def new_file(self, *args, **kwargs):
        require_file_rights(self.request.user)

    def receive_data_chunk(self, raw_data, start):
        return None

    def file_complete(self, file_size):
        return None


def _too_large(request, length: int, limit: int, *, files: bool):
    line = (
        f"The request was {filesizeformat(length)}; the largest planboard accepts is "
        f"{filesizeformat(limit)}."
    )
    if not files:
        line = line[:-1] + ", and only the governance team may send files."
    return _refusal(request, "What you sent is too large", line, status=TOO_LARGE)


def _refusal(request, heading: str, problem: str, *, status: int):
    context = {"heading": heading, "problem": problem}
    return render(request, "413.html", context, status=status)
