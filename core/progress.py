"""Progress and cancel, the same for the CLI, QgsTask and Processing feedback."""


class Cancelled(Exception):
    """Raised inside the engine when the user cancels; nothing is written."""


class Progress:
    """Base reporter: prints nothing, never cancels. Front ends subclass or adapt."""

    def set_progress(self, percent: float) -> None:  # 0..100
        pass

    def info(self, message: str) -> None:
        pass

    def is_canceled(self) -> bool:
        return False

    def check(self) -> None:
        """Raise Cancelled if the user asked to stop."""
        if self.is_canceled():
            raise Cancelled()

    def step(self, start: float, end: float) -> "Progress":
        """A reporter for a sub-task that maps its 0..100 onto start..end of this one."""
        return _SubProgress(self, start, end)


class _SubProgress(Progress):
    def __init__(self, parent: Progress, start: float, end: float):
        self._parent, self._start, self._end = parent, start, end

    def set_progress(self, percent: float) -> None:
        self._parent.set_progress(self._start + (self._end - self._start) * percent / 100.0)

    def info(self, message: str) -> None:
        self._parent.info(message)

    def is_canceled(self) -> bool:
        return self._parent.is_canceled()


class FeedbackProgress(Progress):
    """Adapts a QgsFeedback / QgsProcessingFeedback (duck-typed: no qgis import here)."""

    def __init__(self, feedback):
        self._feedback = feedback

    def set_progress(self, percent: float) -> None:
        self._feedback.setProgress(percent)

    def info(self, message: str) -> None:
        push = getattr(self._feedback, "pushInfo", None)
        if push:
            push(message)

    def is_canceled(self) -> bool:
        return self._feedback.isCanceled()
