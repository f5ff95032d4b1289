"""Running a piece of work in a process of its own, under a memory and a time limit.

For work whose size a file given to planboard decides, such as trying a trust's Word
template on a sample paper (its loops and repeated rows are the trust's to write): a
hostile or mistaken file then costs a short-lived child its limit, not a web worker its
memory or its time.

The child is forked from multiprocessing's fork server, a small process started once by
the process that first asks for one, with the work's module already imported: so a child
starts in a few milliseconds and never inherits a web worker's threads, database
connections or memory. Its address space (``RLIMIT_AS``) is limited to what it starts
with plus ``memory_mb``, and its processor time (``RLIMIT_CPU``) to ``seconds`` and a
little more, so it ends even if its parent is killed; the parent waits ``seconds``, then
kills it. As anywhere multiprocessing's fork server is used, the fork server imports the
program's main module: a script calling this keeps its own work under
``if __name__ == "__main__":`` (the ``planboard`` command, gunicorn and pytest do).
"""

import math
import multiprocessing
import resource
import signal

_preloaded: set[str] = set()


class OverLimit(RuntimeError):
    """The work went over its limit: ``limit`` is "memory" or "time"."""

    def __init__(self, limit: str):
        self.limit = limit
        super().__init__(f"the work went over its {limit} limit")


def run_bounded(function, *args, memory_mb: int, seconds: float):
    """``function(*args)`` run in a child process; what it returns, or what it raised,
    raised here; ``OverLimit`` when it needs more memory or time than allowed.

    ``function``, its arguments and its result cross between processes, so are
    picklable: ``function`` is a module's own function.
    """
    context = multiprocessing.get_context("forkserver")
    if function.__module__ not in _preloaded:
        _preloaded.add(function.__module__)
        # Takes effect when the fork server starts, that is on the first call.
        context.set_forkserver_preload(["__main__", *sorted(_preloaded)])
    reader, writer = context.Pipe(duplex=False)
    child = context.Process(
        target=_child, args=(writer, function, args, memory_mb, seconds), daemon=True
    )
    child.start()
    writer.close()
    try:
        if not reader.poll(seconds):
            raise OverLimit("time")
        try:
            outcome, value = reader.recv()
        except EOFError:  # it ended without a word: the kernel or a library ended it
            child.join()
            ran_out = child.exitcode == -signal.SIGXCPU
            raise OverLimit("time" if ran_out else "memory") from None
    finally:
        if child.is_alive():
            child.kill()
        child.join()
        child.close()
        reader.close()
    if outcome == "memory":
        raise OverLimit("memory")
    if outcome == "raised":
        raise value
    return value


def _child(writer, function, args, memory_mb: int, seconds: float) -> None:
    """In the child: set the limits, do the work, send back how it went."""
    _limit(resource.RLIMIT_AS, _address_space() + memory_mb * 1024 * 1024)
    _limit(resource.RLIMIT_CPU, math.ceil(seconds) + 1)
    try:
        outcome = ("done", function(*args))
    except MemoryError:
        outcome = ("memory", None)
    except Exception as error:  # noqa: BLE001 - sent to the parent, which raises it
        outcome = ("raised", error)
    try:
        writer.send(outcome)
    except Exception as error:  # noqa: BLE001 - an error that will not pickle
        writer.send(("raised", RuntimeError(f"{type(error).__name__}: {error}")))
    writer.close()


def _limit(which: int, value: int) -> None:
    """Lower the soft limit ``which`` to ``value``, or to the hard limit if that is lower."""
    _, hard = resource.getrlimit(which)
    resource.setrlimit(which, (value if hard == resource.RLIM_INFINITY else min(value, hard), hard))


def _address_space() -> int:
    """This process's address space now, in bytes."""
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmSize:"):
                return int(line.split()[1]) * 1024
    raise RuntimeError("/proc/self/status has no VmSize")
