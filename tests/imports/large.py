"""Large tables for the import page's jobs, and what a test compares after importing one."""

import html
import re

from django.core.files.uploadedfile import SimpleUploadedFile

from planboard.plans.models import Action

IMPORT = "/strategies/demo/import/"
JOB = re.compile(r"/strategies/demo/import/jobs/(\d+)/")
PREVIEW = re.compile(r"/strategies/demo/import/(\d+)/")


def tracker_csv(actions: int) -> bytes:
    """A CSV tracker of ``actions`` new actions (themes 3 on, a thousand to a theme) in
    three areas, every one due and rated."""
    areas = ("Access", "Training", "Outreach")
    lines = ["Ref,Area,Action,Lead,Due,RAG"]
    lines += [
        f"{3 + (n - 1) // 1000}.{(n - 1) % 1000 + 1},{areas[n % 3]},"
        f"Action {n} of the large tracker,EM,March 2026,Green"
        for n in range(1, actions + 1)
    ]
    return ("\n".join(lines) + "\n").encode()


def upload(client, data: bytes, name: str = "tracker.csv"):
    return client.post(IMPORT, {"file": SimpleUploadedFile(name, data)})


def job_url(response) -> str:
    assert response.status_code == 302, response.content.decode()[:2000]
    assert JOB.fullmatch(response.url), response.url
    return response.url


def file_error(response) -> str:
    found = re.search(r'<a href="#import-file"[^>]*>\s*(.*?)\s*</a>', response.text, re.S)
    return html.unescape(found.group(1))


def status_message(page: str) -> str:
    found = re.search(r'<p class="pb-readable" role="status">(.*?)</p>', page, re.S)
    return html.unescape(found.group(1)) if found else ""


def plan_of(slug: str = "demo") -> list[tuple]:
    """The strategy's actions as a person reads them, in plan order, with their leads."""
    actions = (
        Action.objects.filter(theme__strategy__slug=slug)
        .select_related("theme", "area", "rag_level")
        .prefetch_related("leads")
        .order_by("theme__number", "number")
    )
    return [
        (
            action.ref,
            action.text,
            action.area.name if action.area else "",
            action.target_date,
            action.target_precision,
            action.rag_level.label if action.rag_level else "",
            action.rag_text,
            action.status,
            action.lead_text,
            sorted(str(role) for role in action.leads.all()),
        )
        for action in actions
    ]
