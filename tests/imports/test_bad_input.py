"""Bad input gives a one-line error naming the file and line, from the function, the
management command and the real ``planboard`` console command alike."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from planboard.imports.errors import PaperError
from planboard.imports.paper import parse_paper
from planboard.plans.models import Strategy
from tests.console import planboard

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01"
PLANBOARD = Path(sys.executable).with_name("planboard")


def seed_lines(seed_path):
    return seed_path.read_text(encoding="utf-8").split("\n")


def write(tmp_path, name, lines):
    path = tmp_path / name
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


@pytest.fixture
def bad_papers(tmp_path, seed_path):
    """Each bad paper with the start of the error it must give."""
    lines = seed_lines(seed_path)
    short_row = list(lines)
    short_row[119] = "\tA part time Service User QI Lead is being developed.\tApr 17\tCI Manager"
    spring = list(lines)
    spring[108] = spring[108].replace("\tMar 17\t", "\tSpring\t")
    (tmp_path / "empty.txt").write_text("", encoding="utf-8")
    (tmp_path / "image.png").write_bytes(PNG)
    return {
        "empty": (tmp_path / "empty.txt", "empty.txt, line 1: the file is empty"),
        "binary": (tmp_path / "image.png", "image.png, line 1: not a text file"),
        "no table": (
            write(tmp_path, "cover-only.txt", lines[:66]),
            "cover-only.txt, line 66: reached the end of the paper without finding a plan table",
        ),
        "short row": (
            write(tmp_path, "short-row.txt", short_row),
            "short-row.txt, line 120: a table row with 4 cells where the table has 5 columns "
            "(Area, Progress, Target Completion Date, RAG Rating, Lead Responsible)",
        ),
        "spring": (
            write(tmp_path, "spring.txt", spring),
            'spring.txt, line 109: target date "Spring" is not a date (use e.g. "Mar 17", '
            '"June 2017" or "31/03/2017")',
        ),
    }


CASES = ["empty", "binary", "no table", "short row", "spring"]


@pytest.mark.django_db
@pytest.mark.parametrize("case", CASES)
def test_it_fails_the_command_with_one_line_naming_the_line(bad_papers, case):
    path, expected = bad_papers[case]
    with pytest.raises(CommandError) as caught:
        call_command("import_paper", str(path))
    message = str(caught.value)
    assert message.startswith(expected)
    assert "\n" not in message
    assert Strategy.objects.count() == 0


@pytest.mark.django_db
@pytest.mark.parametrize("case", CASES)
def test_it_exits_non_zero_from_the_command_with_one_line(bad_papers, case):
    path, expected = bad_papers[case]
    done = planboard("import-paper", str(path))
    assert done.returncode != 0
    assert done.stdout == ""
    error = done.stderr.strip()
    assert len(error.splitlines()) == 1, error
    assert expected in error
    assert Strategy.objects.count() == 0


# The same from the installed command in a new process: one case by default, every case
# in a full run (scripts/run-tests).
@pytest.mark.parametrize(
    "case",
    [
        CASES[0],
        *(
            pytest.param(case, marks=[pytest.mark.subprocess, pytest.mark.own_sqlite])
            for case in CASES[1:]
        ),
    ],
)
def test_it_exits_non_zero_from_the_console_command_with_one_line(bad_papers, case, tmp_path):
    path, expected = bad_papers[case]
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'cli.sqlite3'}",
        "PLANBOARD_VAR_DIR": str(tmp_path / "var"),
    }
    done = subprocess.run(  # noqa: S603 - our own console command with a test file
        [str(PLANBOARD), "import-paper", str(path)],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )
    assert done.returncode != 0
    assert done.stdout == ""
    error = done.stderr.strip()
    assert len(error.splitlines()) == 1, error
    assert expected in error


def test_it_refuses_a_row_with_too_many_cells(seed_path):
    lines = seed_lines(seed_path)
    lines[117] += "\tan extra cell"
    with pytest.raises(PaperError, match=r"^p.txt, line 118: a table row with 6 cells"):
        parse_paper("\n".join(lines), "p.txt")


def test_it_allows_an_extra_empty_cell_from_a_trailing_tab(seed_path):
    lines = seed_lines(seed_path)
    lines[117] += "\t"
    assert len(parse_paper("\n".join(lines), "p.txt").actions) == 49


def test_it_refuses_a_line_without_tabs_inside_a_table(seed_path):
    lines = seed_lines(seed_path)
    lines.insert(118, "a stray line with no tabs")
    with pytest.raises(PaperError, match=r"^p.txt, line 119: a table row with 1 cell "):
        parse_paper("\n".join(lines), "p.txt")


def test_it_joins_a_cell_broken_across_two_lines(seed_path):
    lines = seed_lines(seed_path)
    assert lines[119].startswith("\tA part time Service User QI Lead")
    lines[119:120] = [
        "\tA part time Service User QI Lead (band 4) is being developed.",
        "Recruitment to be undertaken.\tApr 17\t\tCI Manager",
    ]
    paper = parse_paper("\n".join(lines), "p.txt")
    action = paper.themes[0].actions[12]
    assert action.text.endswith("developed.\nRecruitment to be undertaken.")
    assert action.target_text == "Apr 17"
    assert paper.themes[0].actions[13].line == 122


def test_it_pads_short_rows_when_an_editor_stripped_trailing_tabs(seed_path):
    stripped = [line.rstrip("\t") for line in seed_lines(seed_path)]
    paper = parse_paper("\n".join(stripped), "p.txt")
    assert len(paper.actions) == 49
    assert sum(1 for action in paper.actions if not action.lead_text) == 4


def test_it_refuses_a_row_before_any_header(tmp_path):
    text = "Plan - v1\n\nTheme: One\n\n1. We will.\n\nArea 1\tDo it.\tMar 17\t\tEM\n"
    with pytest.raises(PaperError, match="line 7: a table row before any header row"):
        parse_paper(text, "p.txt")


def test_it_refuses_a_file_that_does_not_exist(tmp_path):
    from planboard.imports.services import import_paper

    with pytest.raises(PaperError, match="^missing.txt: the file does not exist$"):
        import_paper(tmp_path / "missing.txt")


def test_it_refuses_a_damaged_word_document_in_one_line(tmp_path):
    from planboard.imports.services import import_paper

    path = tmp_path / "paper.docx"
    path.write_bytes(b"PK\x03\x04" + bytes(range(256)))
    with pytest.raises(
        PaperError, match=r"^paper.docx: this is not a Word document \(.docx\): the zip is damaged"
    ):
        import_paper(path)
