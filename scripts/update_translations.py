"""Collect every translatable string of the plugin into i18n/cadastre_cleaner_vi.ts, and
compile the .qm with Qt's lrelease.

    python scripts/update_translations.py [--check] [--no-compile]

Why our own extractor: pylupdate5 does not know our `tr(self, text)` methods nor
`QT_TRANSLATE_NOOP(_CTX, ...)` with a module constant. Sources are read with `ast`:
- `QT_TRANSLATE_NOOP(CTX, "text")` and `core.i18n.tr(CTX, "text")`, CTX a string literal
  or a module-level string constant;
- `QCoreApplication.translate("Ctx", "text")`;
- `phrase("text")` (core.i18n: words filled into messages, context "Phrases");
- `self.tr("text")` inside a class whose `tr` method calls
  `QCoreApplication.translate("Ctx", text)` (context "Ctx"), and `tr("text")` likewise
  inside such a class's module functions when the module defines `tr` that way.
A `tr` call given anything but a literal (an f-string, a variable) is an error: it could
never be translated. Existing translations are kept; new strings come in unfinished;
strings no longer in the code are marked obsolete.
"""
from __future__ import annotations

import argparse
import ast
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ["plugin.py", "__init__.py", "core", "ui", "processing_provider"]
SKIP_DIRS = {"sample"}        # the sample generator's text is data, not UI
TS = ROOT / "i18n" / "cadastre_cleaner_vi.ts"
QM = TS.with_suffix(".qm")


def _files():
    for item in SOURCES:
        path = ROOT / item
        if path.is_file():
            yield path
        else:
            for f in sorted(path.rglob("*.py")):
                if not SKIP_DIRS.intersection(f.relative_to(path).parts[:-1]):
                    yield f


def _literal(node, consts):
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.Name) and node.id in consts:
        return consts[node.id]
    return None


def _translate_context(func: ast.FunctionDef, consts) -> str | None:
    """The context of a `def tr(self, text): return QCoreApplication.translate("Ctx", text)`."""
    for node in ast.walk(func):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "translate":
            if node.args:
                return _literal(node.args[0], consts)
    return None


def extract(path: Path):
    """[(context, source, line)], [errors] for one file."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    consts = {"PHRASES": "Phrases"}      # core.i18n.PHRASES, imported where phrases are marked
    consts |= {t.id: n.value.value for n in tree.body if isinstance(n, ast.Assign)
              and isinstance(n.value, ast.Constant) and isinstance(n.value.value, str)
              for t in n.targets if isinstance(t, ast.Name)}
    module_ctx = None
    for n in tree.body:
        if isinstance(n, ast.FunctionDef) and n.name == "tr" and len(n.args.args) == 1:
            module_ctx = _translate_context(n, consts)
    found, errors = [], []
    rel = path.relative_to(ROOT)

    def visit(node, class_ctx):
        for child in ast.iter_child_nodes(node):
            ctx = class_ctx
            if isinstance(child, ast.ClassDef):
                ctx = None
                for item in child.body:
                    if isinstance(item, ast.FunctionDef) and item.name == "tr":
                        ctx = _translate_context(item, consts)
                visit(child, ctx)
                continue
            if isinstance(child, ast.Call):
                f = child.func
                name = f.attr if isinstance(f, ast.Attribute) else f.id if isinstance(f, ast.Name) else ""
                if name in ("QT_TRANSLATE_NOOP", "translate") or (name == "tr" and len(child.args) == 2):
                    if len(child.args) >= 2:
                        c, s = _literal(child.args[0], consts), _literal(child.args[1], consts)
                        if c and s is not None:
                            found.append((c, s, f"{rel}:{child.lineno}"))
                        elif c and name == "QT_TRANSLATE_NOOP":
                            errors.append(f"{rel}:{child.lineno}: {name}() needs a literal text")
                        # tr(CTX, value) / translate(CTX, value) at run time look up text
                        # that QT_TRANSLATE_NOOP marked where it was written
                elif name == "phrase" and len(child.args) == 1:
                    s = _literal(child.args[0], consts)
                    if s is not None:
                        found.append(("Phrases", s, f"{rel}:{child.lineno}"))
                elif name == "tr" and len(child.args) == 1:
                    is_self = isinstance(f, ast.Attribute) and isinstance(f.value, ast.Name) and f.value.id == "self"
                    c = class_ctx if is_self else (module_ctx if isinstance(f, ast.Name) else class_ctx)
                    s = _literal(child.args[0], consts)
                    if c and s is not None:
                        found.append((c, s, f"{rel}:{child.lineno}"))
                    elif c:
                        errors.append(f"{rel}:{child.lineno}: tr() needs a literal text (not an f-string "
                                      f"or a variable): it could never be translated")
            visit(child, ctx)

    visit(tree, None)
    return found, errors


def collect():
    strings, errors = {}, []
    for f in _files():
        found, errs = extract(f)
        errors += errs
        for ctx, src, where in found:
            strings.setdefault((ctx, src), []).append(where)
    return strings, errors


def read_ts(path: Path = TS) -> dict:
    """{(context, source): (translation, type)} from a .ts file."""
    out = {}
    if not path.exists():
        return out
    for ctx in ET.parse(path).getroot().iter("context"):
        name = ctx.findtext("name")
        for msg in ctx.iter("message"):
            tr = msg.find("translation")
            out[(name, msg.findtext("source"))] = (tr.text or "" if tr is not None else "",
                                                   tr.get("type", "") if tr is not None else "unfinished")
    return out


def write_ts(strings: dict, old: dict, path: Path = TS) -> None:
    root = ET.Element("TS", version="2.1", language="vi_VN", sourcelanguage="en")
    by_ctx: dict = {}
    for (ctx, src), where in strings.items():
        by_ctx.setdefault(ctx, []).append((src, where))
    for (ctx, src), (text, kind) in old.items():     # gone from the code: kept, marked obsolete
        if (ctx, src) not in strings and text:
            by_ctx.setdefault(ctx, []).append((src, None))
    for ctx in sorted(by_ctx):
        c = ET.SubElement(root, "context")
        ET.SubElement(c, "name").text = ctx
        for src, where in sorted(by_ctx[ctx], key=lambda x: x[0]):
            m = ET.SubElement(c, "message")
            if where:
                file, line = where[0].rsplit(":", 1)
                ET.SubElement(m, "location", filename=f"../{file}", line=line)
            ET.SubElement(m, "source").text = src
            text, kind = old.get((ctx, src), ("", "unfinished"))
            t = ET.SubElement(m, "translation")
            t.text = text
            if where is None:
                t.set("type", "obsolete")
            elif not text or kind == "unfinished":
                t.set("type", "unfinished")
    ET.indent(root)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text('<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE TS>\n'
                    + ET.tostring(root, encoding="unicode") + "\n", encoding="utf-8")


def compile_qm(ts: Path = TS, qm: Path = QM) -> None:
    lrelease = shutil.which("lrelease") or shutil.which("lrelease-qt5")
    if not lrelease:
        raise SystemExit("lrelease not found: apt-get install qttools5-dev-tools")
    subprocess.run([lrelease, "-silent", str(ts), "-qm", str(qm)], check=True)


def main(argv=None) -> int:
    p = argparse.ArgumentParser()
    p.add_argument("--check", action="store_true", help="only report untranslated strings; exit 1 if any")
    p.add_argument("--no-compile", action="store_true")
    args = p.parse_args(argv)
    strings, errors = collect()
    for e in errors:
        print(e, file=sys.stderr)
    old = read_ts()
    missing = [k for k in strings if not old.get(k, ("", ""))[0] or old[k][1] == "unfinished"]
    if args.check:
        for ctx, src in missing:
            print(f"untranslated [{ctx}] {src[:80]!r}")
        return 1 if (missing or errors) else 0
    write_ts(strings, old)
    if not args.no_compile:
        compile_qm()
    print(f"{len(strings)} strings, {len(missing)} untranslated, {len(errors)} error(s); wrote {TS.name}")
    return 1 if errors else 0


if __name__ == "__main__":
    raise SystemExit(main())
