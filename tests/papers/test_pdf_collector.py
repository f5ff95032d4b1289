"""Laying a PDF out raises the garbage collector's thresholds while it runs, and puts
back the ones it found, also when the layout fails."""

import gc

import pytest

from planboard.lib.collector import THRESHOLDS, fewer_collections
from planboard.papers.formats import pdf


@pytest.fixture
def found_thresholds():
    found = gc.get_threshold()
    gc.set_threshold(700, 10, 10)
    yield (700, 10, 10)
    gc.set_threshold(*found)


def test_the_layout_runs_with_fewer_collections(found_thresholds, monkeypatch):
    seen = []

    def write_pdf(self, **options):
        seen.append(gc.get_threshold())
        return b"%PDF-"

    monkeypatch.setattr(pdf._PaperHTML, "write_pdf", write_pdf)
    assert pdf.write_pdf("<html lang='en-GB'><p>Paper</p></html>", b"id") == b"%PDF-"
    assert seen == [THRESHOLDS]
    assert gc.get_threshold() == found_thresholds


def test_the_thresholds_come_back_after_a_failure(found_thresholds):
    with pytest.raises(ValueError), fewer_collections():
        assert gc.get_threshold() == THRESHOLDS
        raise ValueError("the layout failed")
    assert gc.get_threshold() == found_thresholds
