"""Forwards the package's Python log records to the QGIS message log.

`core/` logs through the standard `logging` module only (logger
"cadastre_cleaner"); inside QGIS this handler makes those lines appear in the
Log Messages panel under the "Cadastre Cleaner" tab.
"""
import logging

from qgis.core import Qgis, QgsMessageLog

LOGGER_NAME = "cadastre_cleaner"
TAG = "Cadastre Cleaner"


class QgsMessageLogHandler(logging.Handler):
    """A logging handler that writes each record to QgsMessageLog."""

    # True when `install` lowered the logger's level, so `uninstall` restores it.
    owns_logger_level = False

    def emit(self, record: logging.LogRecord) -> None:
        try:
            QgsMessageLog.logMessage(self.format(record), TAG, _level(record.levelno),
                                     notifyUser=False)
        except Exception:  # a log call must never break the caller
            self.handleError(record)


def _level(levelno: int):
    if levelno >= logging.ERROR:
        return Qgis.MessageLevel.Critical
    if levelno >= logging.WARNING:
        return Qgis.MessageLevel.Warning
    return Qgis.MessageLevel.Info


def install(level: int = logging.INFO) -> QgsMessageLogHandler:
    """Attach a handler to the package logger and return it (for `uninstall`).

    The logger's level is lowered to `level` only while it is unset, so that an
    application that configured logging itself keeps its choice.
    """
    logger = logging.getLogger(LOGGER_NAME)
    handler = QgsMessageLogHandler(level)
    handler.setFormatter(logging.Formatter("%(message)s"))
    if logger.level == logging.NOTSET:
        handler.owns_logger_level = True
        logger.setLevel(level)
    logger.addHandler(handler)
    return handler


def uninstall(handler: QgsMessageLogHandler | None) -> None:
    """Detach a handler made by `install` and undo its level change."""
    if handler is None:
        return
    logger = logging.getLogger(LOGGER_NAME)
    logger.removeHandler(handler)
    if handler.owns_logger_level and not any(
            isinstance(h, QgsMessageLogHandler) for h in logger.handlers):
        logger.setLevel(logging.NOTSET)
