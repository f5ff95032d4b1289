"""The checker's report arranged for the findings page: grouped by code, each finding linked.

A finding's ref names an action ("1.11"), a commitment ("1.11", for COMMITMENT_UNCOVERED)
or a theme ("1", for COMMITMENT_REF_INVALID); each links to the page where it can be seen,
and to the page where it is fixed (``checker.FIXED_ON``): the RAG scale, the role not in
the key, the action's leads, the action's editing page (its own page until one exists)
or its update.
"""

from dataclasses import dataclass, field

from django.urls import NoReverseMatch, reverse

from planboard.progress.checker import FIXED_ON, FindingCode, FindingKind, FixedOn


@dataclass
class FindingGroup:
    code: str
    label: str
    kind: str
    findings: list[dict] = field(default_factory=list)

    @property
    def anchor(self) -> str:
        return f"code-{self.code.lower().replace('_', '-')}"


def finding_target(slug: str, code: str, ref: str) -> tuple[str, str]:
    """What a finding's ref names ("Action", "Commitment", "Theme") and where to see it."""
    if code == FindingCode.COMMITMENT_UNCOVERED:
        anchor = "commitment-" + ref.replace(".", "-")
        return "Commitment", reverse("commitments", kwargs={"slug": slug}) + "#" + anchor
    if code == FindingCode.COMMITMENT_REF_INVALID or "." not in ref:
        return "Theme", reverse("plan", kwargs={"slug": slug}) + f"#theme-{ref}"
    return "Action", reverse("action", kwargs={"slug": slug, "ref": ref})


def action_editing_url(slug: str, ref: str) -> str:
    """The page where an action's text, target and structure are changed: ``edit_action``
    where planboard has it, else the action's own page."""
    try:
        return reverse("edit_action", kwargs={"slug": slug, "ref": ref})
    except NoReverseMatch:
        return reverse("action", kwargs={"slug": slug, "ref": ref})


def fix_target(slug: str, code: str, ref: str, message: str, roles: dict) -> dict | None:
    """Where the finding is fixed, as {"href", "text"}; ``roles`` maps the quoted name of
    each role not in the key to its id (a LEAD_UNRESOLVED message quotes its role)."""
    fixed_on = FIXED_ON[FindingCode(code)]
    if fixed_on == FixedOn.SCALE:
        href = reverse("rag_scale", kwargs={"slug": slug})
    elif fixed_on == FixedOn.ROLE:
        pk = next((pk for quoted, pk in roles.items() if quoted in message), None)
        if pk is None:
            return None
        href = reverse("edit_role", kwargs={"slug": slug, "pk": pk})
    elif fixed_on == FixedOn.LEADS:
        href = reverse("action_leads", kwargs={"slug": slug, "ref": ref})
    elif fixed_on == FixedOn.ACTION:
        href = action_editing_url(slug, ref)
    elif fixed_on == FixedOn.UPDATE:
        href = reverse("update_action", kwargs={"slug": slug, "ref": ref})
    else:
        href = finding_target(slug, code, ref)[1]
    return {"href": href, "text": fixed_on.label}


def group_findings(strategy, report, *, fixes=False) -> list[FindingGroup]:
    """The report's findings grouped by code, every code in the checker's order (some
    empty); with ``fixes``, each with the page where it is fixed (``fix``)."""
    groups = {
        code.value: FindingGroup(code.value, code.label, FindingKind(code.kind).label)
        for code in FindingCode
    }
    roles = {}
    if fixes and any(f["code"] == FindingCode.LEAD_UNRESOLVED for f in report["findings"]):
        roles = {f'"{role}"': role.pk for role in strategy.roles.filter(in_key=False)}
    for finding in report["findings"]:
        code, ref = finding["code"], finding["ref"]
        names, href = finding_target(strategy.slug, code, ref)
        fix = fix_target(strategy.slug, code, ref, finding["message"], roles) if fixes else None
        groups[code].findings.append({**finding, "names": names, "href": href, "fix": fix})
    return list(groups.values())
