"""Translation hooks for core messages, usable without a running QGIS.

Core text is English in code; Qt Linguist files under i18n/ carry Vietnamese.
`QT_TRANSLATE_NOOP` marks module-level strings for pylupdate; `tr` translates
at run time through Qt when Qt is importable, else returns the text unchanged.
"""


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:  # noqa: N802 — name pylupdate looks for
    return text


def tr(context: str, text: str) -> str:
    try:
        from qgis.PyQt.QtCore import QCoreApplication
    except ImportError:  # headless without Qt: English
        return text
    if QCoreApplication.instance() is None:
        return text
    return QCoreApplication.translate(context, text)


PHRASES = "Phrases"     # context of the words filled into messages and suggestions


def phrase(text: str) -> str:
    """A word or template filled into a message ("Map", "set sheet {0}") in the user's
    language. Call it once per batch, then .format() per row."""
    return tr(PHRASES, text)
