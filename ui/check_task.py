"""A QgsTask that runs the whole check (`core.pipeline.run_check`) off the UI thread.

`run()` runs on a worker thread: it touches no widget and no project, only the
request's OGR sources (project layers are turned into sources on the main thread
first, with `processing_provider.layer_sources.ogr_source_for`). The outcome is announced on the main thread by one of three
signals: `checkFinished(summary)`, `checkFailed(one-line message)`, `checkCancelled()`.
"""
import logging

from qgis.core import QgsTask
from qgis.PyQt.QtCore import QCoreApplication, pyqtSignal

from ..core.flags import catalogue as cat
from ..core.errors import InputError
from ..core.pipeline import CheckRequest, CheckSummary, run_check
from ..core.progress import Cancelled, Progress

log = logging.getLogger("cadastre_cleaner")


class TaskProgress(Progress):
    """The engine's progress and cancel, read from and written to a QgsTask."""

    def __init__(self, task: QgsTask):
        self._task = task

    def set_progress(self, percent: float) -> None:
        self._task.setProgress(float(percent))

    def info(self, message: str) -> None:
        log.info(message)  # QgsMessageLog is thread safe; widgets are not

    def is_canceled(self) -> bool:
        return self._task.isCanceled()


class CheckTask(QgsTask):
    """Runs one CheckRequest; emits exactly one of the three outcome signals."""

    checkFinished = pyqtSignal(object)   # CheckSummary  # noqa: N815 (Qt naming)
    checkFailed = pyqtSignal(str)        # one line for the message bar  # noqa: N815
    checkCancelled = pyqtSignal()        # noqa: N815

    def __init__(self, request: CheckRequest, description: str | None = None):
        super().__init__(description or self.tr("Cadastre Cleaner: run checks"),
                         QgsTask.Flag.CanCancel)
        self.request = request
        self.summary: CheckSummary | None = None
        self.severity_counts: dict = {}
        self.error: str | None = None
        self.was_cancelled = False

    @staticmethod
    def tr(text: str) -> str:
        return QCoreApplication.translate("CheckTask", text)

    # -- worker thread ----------------------------------------------------------

    def run(self) -> bool:
        try:
            self.summary = run_check(self.request, TaskProgress(self))
        except Cancelled:
            self.was_cancelled = True
            return False
        except InputError as err:
            self.error = err.one_line()
            return False
        except PermissionError as err:
            # Windows will not replace a GeoPackage another program (or layer) holds open.
            self.error = self.tr("Cannot write {path}: {reason}. Close the programs or layers "
                                 "using it and run again.").format(path=err.filename or self.request.out,
                                                                  reason=err.strerror or err)
            return False
        except Exception as err:  # a fault of ours: one line here, the traceback in the log
            log.exception("the check failed")
            self.error = self.tr("The check failed unexpectedly ({kind}: {text}); the details are "
                                 "in the Cadastre Cleaner log.").format(kind=type(err).__name__,
                                                                        text=str(err).splitlines()[0]
                                                                        if str(err) else "")
            return False
        self.severity_counts = count_by_severity(self.summary)
        return True

    # -- main thread --------------------------------------------------------------

    def finished(self, result: bool) -> None:  # noqa: D401 (QgsTask API)
        if result and self.summary is not None:
            self.checkFinished.emit(self.summary)
        elif self.error is not None:
            self.checkFailed.emit(self.error)
        else:  # cancelled while running, or before it started (run() never ran)
            self.was_cancelled = True
            self.checkCancelled.emit()

    @classmethod
    def cancelled_message(cls) -> str:
        return cls.tr("Cancelled: nothing was written")


def count_by_severity(summary: CheckSummary) -> dict:
    """{severity: flags} of this run's flags, read back from the flags file (a flag may be
    milder than its check's default severity); the catalogue's defaults if that fails."""
    run_id = summary.store.get("run_id") if summary.store else None
    if run_id is not None:
        try:
            from osgeo import gdal
            gdal.UseExceptions()
            ds = gdal.OpenEx(summary.out, gdal.OF_VECTOR | gdal.OF_READONLY)
            sql = ds.ExecuteSQL(f"SELECT severity, COUNT(*) AS n FROM flags WHERE run_id = {int(run_id)} "
                                "GROUP BY severity", dialect="SQLITE")
            try:
                return {str(f.GetField(0)): int(f.GetField(1)) for f in sql}
            finally:
                ds.ReleaseResultSet(sql)
        except Exception as err:  # noqa: BLE001 — only a summary: fall back to the defaults
            log.debug("could not count flags by severity in %s: %s", summary.out, err)
    counts: dict = {}
    for code, n in summary.flags_by_code.items():
        severity = cat.CATALOGUE[code].severity if code in cat.CATALOGUE else cat.WARNING
        counts[severity] = counts.get(severity, 0) + int(n)
    return counts
