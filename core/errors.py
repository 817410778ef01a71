"""The one exception type for bad input: it names the file, the row and the fix."""


class InputError(Exception):
    """Bad input the user can fix. Shown as one line, never as a traceback."""

    def __init__(self, problem: str, source: str | None = None, row: int | None = None,
                 fix: str | None = None):
        self.problem = problem
        self.source = source
        self.row = row
        self.fix = fix
        super().__init__(self.one_line())

    def one_line(self) -> str:
        where = ""
        if self.source:
            where = f"{self.source}"
            if self.row is not None:
                where += f", row {self.row}"
            where += ": "
        text = f"{where}{self.problem}"
        if self.fix:
            text += f" — {self.fix}"
        return text
