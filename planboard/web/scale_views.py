"""A strategy's own RAG scale: its levels, their colours, order, meaning and aliases.

The governance team's pages. Only the strategy's own levels are listed (never every
strategy's, as the admin's drop-down did); every save and delete is a service of
``planboard.plans.scale`` (version-checked, in the history).
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from planboard.lib.forms import VersionField
from planboard.lib.services import ServiceError
from planboard.lib.versions import EditConflict
from planboard.plans import scale
from planboard.plans.models import RagLevel, TagColour
from planboard.web.key_forms import LevelForm
from planboard.web.people_edit_views import form_page, governed_strategy

DOING = "change the RAG scale"


def _scale_url(strategy):
    return reverse("rag_scale", kwargs={"slug": strategy.slug})


def _page(strategy, title, button):
    return {
        "strategy": strategy,
        "title": title,
        "intro": "",
        "button": button,
        "back": {"href": _scale_url(strategy), "text": "RAG scale"},
    }


def _level_rows(level):
    return [
        {"key": "Label", "value": level.label},
        {"key": "Colour", "value": TagColour(level.colour).label},
        {"key": "Place in the scale", "value": str(level.position)},
        {"key": "Meaning", "value": level.definition or "No meaning written"},
        {"key": "Complete", "value": "Yes" if level.means_complete else "No"},
        {"key": "Aliases", "value": ", ".join(level.aliases or []) or "No aliases"},
    ]


@require_GET
def rag_scale(request, slug):
    strategy = governed_strategy(request, slug, DOING)
    levels = RagLevel.objects.filter(strategy=strategy).order_by("position", "pk")
    context = {"strategy": strategy, "section": "people", "levels": levels}
    return render(request, "web/people_edit/scale.html", context)


@require_http_methods(["GET", "POST"])
def add_rag_level(request, slug):
    strategy = governed_strategy(request, slug, DOING)
    last = RagLevel.objects.filter(strategy=strategy).order_by("-position").first()
    initial = {"colour": TagColour.GREY, "position": (last.position + 1) if last else 1}
    form = LevelForm(request.POST if request.method == "POST" else None, initial=initial)

    def save(form):
        level = scale.save_level(strategy, form.values(), version=None, user=request.user)
        return f"{level.label} is added to the RAG scale."

    page = _page(strategy, "Add a RAG level", "Add the level")
    return form_page(request, form, save=save, page=page, done=_scale_url(strategy))


@require_http_methods(["GET", "POST"])
def edit_rag_level(request, slug, pk):
    strategy = governed_strategy(request, slug, DOING)
    level = get_object_or_404(RagLevel, pk=pk, strategy=strategy)
    initial = {
        "label": level.label,
        "colour": level.colour,
        "position": level.position,
        "definition": level.definition,
        "means_complete": level.means_complete,
        "aliases": "\n".join(level.aliases or []),
        "version": level.version,
    }
    form = LevelForm(request.POST if request.method == "POST" else None, initial=initial)

    def save(form):
        saved = scale.save_level(
            strategy,
            form.values(),
            version=form.cleaned_data["version"] or 0,
            user=request.user,
            level=level,
        )
        return f"The RAG level {saved.label} is saved."

    page = _page(strategy, f"Change the RAG level {level.label}", "Save the level")
    used = scale.uses_of(level)
    page["delete"] = {
        "href": reverse("delete_rag_level", kwargs={"slug": slug, "pk": level.pk}),
        "version": level.version,
        "label": level.label,
        "used": used,
    }
    return form_page(
        request, form, save=save, page=page, done=_scale_url(strategy), describe=_level_rows
    )


@require_POST
def delete_rag_level(request, slug, pk):
    strategy = governed_strategy(request, slug, DOING)
    level = get_object_or_404(RagLevel, pk=pk, strategy=strategy)
    try:
        version = VersionField().clean(request.POST.get("version"))
        scale.delete_level(level, version=version or 0, user=request.user)
    except EditConflict:
        messages.error(
            request,
            f"Someone else changed {level.label} after you opened it, so it was not deleted.",
        )
        return redirect("edit_rag_level", slug=slug, pk=level.pk)
    except ServiceError as error:
        messages.error(request, str(error))
        return redirect("edit_rag_level", slug=slug, pk=level.pk)
    except ValidationError as error:
        messages.error(request, error.messages[0])
        return redirect("edit_rag_level", slug=slug, pk=level.pk)
    messages.success(request, f"{level.label} is deleted from the RAG scale.")
    return redirect("rag_scale", slug=slug)
