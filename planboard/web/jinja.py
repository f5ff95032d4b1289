"""The Jinja2 environment: our templates, the NHS.UK frontend macros and a few helpers.

Django's Jinja2 backend already puts ``request``, ``csrf_input`` and ``csrf_token``
in every template's context.
"""

from django.contrib.messages import get_messages
from django.template.defaultfilters import filesizeformat
from django.templatetags.static import static
from django.urls import reverse
from jinja2 import ChainableUndefined, ChoiceLoader, Environment, PackageLoader
from jinja2.filters import do_indent
from markupsafe import Markup

from planboard.lib import clock
from planboard.lib.users import display_name
from planboard.people.permissions import is_governance
from planboard.progress.services import current_period
from planboard.web import cycle, display


def url(name, *args, **kwargs):
    """Reverse a URL by name, as Django's ``{% url %}`` does."""
    return reverse(name, args=args or None, kwargs=kwargs or None)


def governs(request) -> bool:
    """Whether the signed-in user is in the governance team, asked once per request."""
    if not hasattr(request, "_planboard_governs"):
        request._planboard_governs = is_governance(request.user)
    return request._planboard_governs


def indent(s, width=4, first=False, blank=False):
    """Jinja's ``indent`` filter: the same text for the same arguments, written without
    making a ``Markup`` of every line. The design system's macros indent every component
    they nest, which took a tenth of a signed-in page's time."""
    if type(s) not in (str, Markup):
        return do_indent(s, width, first, blank)
    indention = width if isinstance(width, str) else " " * width
    lines = (str(s) + "\n").splitlines()
    if blank:
        text = ("\n" + indention).join(lines)
    else:
        text = lines[0]
        if len(lines) > 1:
            text += "\n" + "\n".join(indention + line if line else line for line in lines[1:])
    if first:
        text = indention + text
    # The lines of markup stay markup, as Jinja's own filter keeps them.
    return Markup(text) if type(s) is Markup else text  # noqa: S704


def environment(**options):
    options["loader"] = ChoiceLoader([options["loader"], PackageLoader("nhsuk_frontend_jinja")])
    options["undefined"] = ChainableUndefined
    env = Environment(**options)  # noqa: S701 - Django's backend sets autoescape
    # ``static`` looks the storage up on every call, so a test that changes STORAGES
    # (the browser tests serve unhashed files) is honoured.
    env.globals.update(
        {
            "static": static,
            "url": url,
            "rag_badge": display.rag_badge,
            "target_label": display.target_label,
            "lead_names": display.lead_names,
            "user_name": display_name,
            "snapshot_badge": display.snapshot_badge,
            "period_status": display.period_status,
            "file_status": display.file_status,
            "update_status_words": display.update_status_words,
            "period_slug": cycle.period_slug,
            "adjustment_text": cycle.adjustment_text,
            "open_period_of": current_period,
            "leads_anything": cycle.leads_anything,
            "governs": governs,
            "messages": get_messages,
            "demo_notice": clock.demo_notice,
        }
    )
    env.filters["indent"] = indent
    env.filters["date"] = display.written_date
    env.filters["percent"] = display.percent
    env.filters["filesize"] = filesizeformat
    return env
