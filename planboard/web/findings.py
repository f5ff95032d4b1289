"""The checker's report arranged for the findings page: grouped by code, each finding linked.

A finding's ref names an action ("1.11"), a commitment ("1.11", for COMMITMENT_UNCOVERED)
or a theme ("1", for COMMITMENT_REF_INVALID); each links to the page where it can be seen.
"""

from dataclasses import dataclass, field

from django.urls import reverse

from planboard.progress.checker import FindingCode, FindingKind


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


def group_findings(strategy, report) -> list[FindingGroup]:
    """The report's findings grouped by code, every code in the checker's order (some empty)."""
    groups = {
        code.value: FindingGroup(code.value, code.label, FindingKind(code.kind).label)
        for code in FindingCode
    }
    for finding in report["findings"]:
        names, href = finding_target(strategy.slug, finding["code"], finding["ref"])
        groups[finding["code"]].findings.append({**finding, "names": names, "href": href})
    return list(groups.values())
