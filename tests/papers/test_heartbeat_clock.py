"""A job's heartbeat is written and judged by the database's clock, which every app
server shares: a worker whose machine's clock is behind, or a sweep on a machine whose
clock is ahead, does not have a job that is still beating marked failed."""

import datetime

import pytest
from django.utils import timezone

from planboard.lib.heartbeat import database_now, stale_after
from planboard.papers import generation
from planboard.papers.generation import expire_stale_jobs, record_heartbeat, request_paper
from planboard.papers.models import GeneratedPaper, GenerationStatus
from tests.papers.test_paper_files import DATABASE_TASKS

AN_HOUR = datetime.timedelta(hours=1)


@pytest.fixture
def running(settings, closed_q3):
    """A job taken by a worker, as its first beat left it."""
    settings.PAPERS_IN_BACKGROUND = True
    settings.TASKS = DATABASE_TASKS
    job = request_paper(closed_q3.strategy, closed_q3, "pdf", user=None)
    GeneratedPaper.objects.filter(pk=job.pk).update(
        status=GenerationStatus.RUNNING, started_at=database_now()
    )
    return job


def machine_clock(monkeypatch, offset):
    """This machine's clock set ``offset`` from the true time."""
    true_now = timezone.now
    monkeypatch.setattr(timezone, "now", lambda: true_now() + offset)


def test_the_database_clock_is_the_time_now(db):
    assert abs(database_now() - timezone.now()) < datetime.timedelta(seconds=5)


def test_a_worker_whose_clock_is_behind_still_beats(running, monkeypatch):
    machine_clock(monkeypatch, -AN_HOUR)
    record_heartbeat(running.pk)
    monkeypatch.undo()

    assert expire_stale_jobs() == 0
    job = GeneratedPaper.objects.get(pk=running.pk)
    assert job.status == GenerationStatus.RUNNING
    assert abs(job.heartbeat_at - timezone.now()) < datetime.timedelta(seconds=5)


def test_a_sweep_whose_clock_is_ahead_leaves_a_beating_job_alone(running, monkeypatch):
    record_heartbeat(running.pk)
    machine_clock(monkeypatch, AN_HOUR)
    assert expire_stale_jobs() == 0
    assert GeneratedPaper.objects.get(pk=running.pk).status == GenerationStatus.RUNNING


def test_a_job_silent_for_longer_than_the_limit_by_the_database_clock_is_failed(running):
    GeneratedPaper.objects.filter(pk=running.pk).update(
        heartbeat_at=database_now() - stale_after() - datetime.timedelta(seconds=1)
    )
    assert expire_stale_jobs() == 1
    job = GeneratedPaper.objects.get(pk=running.pk)
    assert (job.status, job.error) == (GenerationStatus.FAILED, generation.WORKER_STOPPED)
