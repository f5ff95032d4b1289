"""The one error an import raises on bad input.

Its message is a single line naming the file and, where there is one, the line, so a
command can print it as it is and a person can go straight to the place to fix.
"""


class PaperError(Exception):
    """Bad input in a board paper: ``paper.txt, line 87: what is wrong and how to fix it``."""

    def __init__(self, message: str, *, source: str = "", line: int | None = None):
        self.message = " ".join(str(message).split())
        self.source = source
        self.line = line
        super().__init__(str(self))

    def __str__(self) -> str:
        where = self.source or "paper"
        if self.line is not None:
            where = f"{where}, line {self.line}"
        return f"{where}: {self.message}"

    def located(self, source: str) -> "PaperError":
        """The same error naming ``source``; parsers raise before they know the file name."""
        return PaperError(self.message, source=source, line=self.line)
