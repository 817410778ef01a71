"""Every user-visible string is translatable and translated into Vietnamese, and the
compiled .qm shipped with the plugin carries the .ts translations."""
import importlib.util
import re
from pathlib import Path

import pytest
from qgis.PyQt.QtCore import QCoreApplication, QTranslator

ROOT = Path(__file__).resolve().parent.parent


def _tool():
    spec = importlib.util.spec_from_file_location("update_translations", ROOT / "scripts" / "update_translations.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


@pytest.fixture(scope="module")
def tool():
    return _tool()


def test_every_tr_call_has_a_literal_text(tool):
    _, errors = tool.collect()
    assert errors == []


def test_every_string_has_a_vietnamese_translation(tool):
    strings, _ = tool.collect()
    ts = tool.read_ts()
    missing = [f"[{ctx}] {src[:70]!r} ({where[0]})" for (ctx, src), where in strings.items()
               if not ts.get((ctx, src), ("", ""))[0] or ts[(ctx, src)][1] == "unfinished"]
    assert not missing, "untranslated (run `make translations` and translate):\n" + "\n".join(missing)


def test_translations_keep_placeholders_and_tags(tool):
    bad = []
    for (ctx, src), (text, kind) in tool.read_ts().items():
        if kind == "obsolete" or not text:
            continue
        for pattern in (r"\{[^{}]*\}", r"</?[a-z]+>"):
            if sorted(re.findall(pattern, src)) != sorted(re.findall(pattern, text)):
                bad.append(f"[{ctx}] {src[:60]!r} -> {text[:60]!r}")
    assert not bad, "\n".join(bad)


def test_compiled_qm_carries_the_ts_translations(tool, qgis_app):
    qm = ROOT / "i18n" / "cadastre_cleaner_vi.qm"
    assert qm.is_file(), "run `make translations`"
    translator = QTranslator()
    assert translator.load(str(qm))
    # through QCoreApplication, as the plugin does (PyQt5's QTranslator.translate wants ASCII)
    QCoreApplication.installTranslator(translator)
    try:
        stale = [f"[{ctx}] {src[:60]!r}" for (ctx, src), (text, kind) in tool.read_ts().items()
                 if kind != "obsolete" and text and QCoreApplication.translate(ctx, src) != text]
    finally:
        QCoreApplication.removeTranslator(translator)
    assert not stale, "the .qm is older than the .ts (run `make translations`):\n" + "\n".join(stale[:20])


def test_catalogue_titles_come_out_in_vietnamese_when_the_translator_is_installed(qgis_app):
    from cadastre_cleaner.core.flags.catalogue import check
    translator = QTranslator()
    assert translator.load(str(ROOT / "i18n" / "cadastre_cleaner_vi.qm"))
    QCoreApplication.installTranslator(translator)
    try:
        title = check("OVERLAP").title_tr()
        assert title != "Parcels overlap" and title.strip()
    finally:
        QCoreApplication.removeTranslator(translator)
