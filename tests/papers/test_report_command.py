"""``planboard report``: the paper written to a file in any of its formats."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from planboard.plans.models import Action


def test_the_command_writes_an_html_file_with_every_action(seed_strategy, closed_q3, tmp_path):
    path = tmp_path / "paper.html"
    call_command("report", strategy="sue", period="2016/17 Q3", format="html", output=str(path))
    html = path.read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>")
    assert "<style>" in html and "@media print" in html
    actions = list(Action.objects.for_strategy(seed_strategy).in_plan_order())
    assert len(actions) == 49
    for action in actions[:: len(actions) // 5]:
        first_words = action.text.split("\n")[0][:40]
        assert first_words.replace("&", "&amp;").replace("'", "&#39;") in html
    assert "Tania Baxter" in html


def test_the_command_accepts_the_period_slug(seed_strategy, closed_q3, tmp_path):
    path = tmp_path / "paper.html"
    call_command("report", strategy="sue", period="2016-17-q3", output=str(path))
    assert "Paper for 2016/17 Q3" in path.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"strategy": "nope"}, 'There is no strategy with the slug "nope".'),
        ({"strategy": "sue", "period": "2030/31 Q1"}, 'sue has no reporting period "2030/31 Q1".'),
        (
            {"strategy": "sue", "format": "rtf"},
            'Unknown format "rtf": use one of html, pdf, docx, xlsx.',
        ),
    ],
)
def test_the_command_fails_in_one_line(seed_strategy, tmp_path, options, message):
    with pytest.raises(CommandError) as caught:
        call_command("report", output=str(tmp_path / "x"), **options)
    assert str(caught.value) == message
    assert not (tmp_path / "x").exists()


def test_an_unknown_format_exits_non_zero_with_one_line(tmp_path):
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'planboard.sqlite3'}",
        "PLANBOARD_VAR_DIR": str(tmp_path),
        "HTTPS": "false",
        "DEBUG": "false",
    }
    script = Path(sys.executable).with_name("planboard")
    result = subprocess.run(  # noqa: S603 - our own console script
        [str(script), "report", "--strategy", "sue", "--format", "rtf", "-o", "x.pdf"],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert lines == ['CommandError: Unknown format "rtf": use one of html, pdf, docx, xlsx.']
    assert not (tmp_path / "x.pdf").exists()


@pytest.mark.parametrize("name", ["pdf", "docx", "xlsx"])
def test_the_command_writes_each_format_that_its_reader_opens(
    seed_strategy, closed_q3, tmp_path, name
):
    path = tmp_path / f"paper.{name}"
    call_command("report", strategy="sue", period="2016/17 Q3", format=name, output=str(path))
    if name == "pdf":
        from pypdf import PdfReader

        text = "".join(page.extract_text() for page in PdfReader(path).pages)
        assert "Service User Engagement Strategy" in text
    elif name == "docx":
        import docx

        document = docx.Document(str(path))
        assert any(p.style.name == "Heading 1" for p in document.paragraphs)
    else:
        from openpyxl import load_workbook

        assert load_workbook(path).sheetnames[:2] == ["Cover", "Summary"]
    assert not list(tmp_path.glob(".paper*"))  # no partial file left behind


def test_a_folder_that_does_not_exist_is_a_one_line_error(seed_strategy, tmp_path):
    with pytest.raises(CommandError, match=r"^Cannot write .*missing/paper.html: No such file"):
        call_command("report", strategy="sue", output=str(tmp_path / "missing" / "paper.html"))
