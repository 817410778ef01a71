"""Drives Cadastre Cleaner inside the real QGIS desktop (issue #5); run by
tests/test_e2e_desktop.py as `qgis --code tests/e2e/drive_plugin.py`.

QGIS executes this file once at start-up, before its event loop runs. Every step
below is therefore scheduled with QTimer, and waiting (for the plugin, for the check
task, for the map to render) is done by polling from timers: the event loop is never
blocked, so the task manager, the canvas and the plugin work as they do for a user.

The steps: wait for the main window and the plugin; load the sample commune's parcels
and sheets; open Run checks through the plugin's action, fill it, click Run; wait for
`checksFinished`; find the review dock and its flags; filter to the codes with map
suggestions and step with next_flag() to the first one Apply suggestion can write;
click Apply suggestion; check the edit buffer and the flags file; screenshot the main
window and the map canvas. Then (issue #6) open Correct geometry through its action,
pick an OVERLAP flag, click Preview (area table filled) and Apply (one more undo step,
the flag fixed in the flags file), screenshot the window with that dock; open Parcel
codes through its action, check one sheet, renumber_all with a band height that changes
numbers, click Preview (the "Preview numbers" layer), screenshot, apply (one more undo
step, numbers changed on that sheet only). Roll all the edits back; write result.json;
quit QGIS.

Environment:
    CADASTRE_E2E_SAMPLE   folder of `cadastre_cleaner sample` (commune.gpkg, register.csv)
    CADASTRE_E2E_OUT      output folder: result.json, driver.log, screenshots, flags.gpkg
    CADASTRE_E2E_TIMEOUT  seconds before the driver gives up on its own (default 60)
"""
import json
import os
import time
import traceback

from osgeo import ogr
from qgis.core import (QgsApplication, QgsCoordinateTransform, QgsFillSymbol, QgsProject,
                       QgsRectangle, QgsVectorLayer)
from qgis.gui import QgsFileWidget, QgsMapLayerComboBox
from qgis.PyQt.QtCore import QObject, Qt, QTimer
from qgis.PyQt.QtWidgets import (QApplication, QComboBox, QDialog, QDockWidget, QMessageBox, QPushButton,
                                 QTableWidget, QTabWidget)
from qgis.utils import iface, plugins

PLUGIN = "cadastre_cleaner"
PLUGIN_MENU = "CadastreCleanerMenu"           # Vector > Cadastre Cleaner
RUN_CHECKS_ACTION = "CadastreCleanerRunChecks"
RUN_CHECKS_DIALOG = "CadastreCleanerRunChecksDialog"
REVIEW_DOCK = "CadastreCleanerReviewDock"
APPLY_BUTTON = "reviewApplySuggestion"
CORRECT_GEOMETRY_ACTION = "CadastreCleanerCorrectGeometry"
GEOMETRY_DOCK = "CadastreCleanerGeometryDock"
PARCEL_CODES_ACTION = "CadastreCleanerParcelCodes"
CODES_DOCK = "CadastreCleanerCodesDock"
BAND_HEIGHTS_M = (17.0, 23.0, 31.0, 9.0)       # tried in turn until the numbers change
# Codes whose suggestion is a value for the parcel layer (sheet or parcel number).
SUGGESTION_CODES = ("SHEET_MISMATCH", "NUMBER_MISMATCH")
WINDOW_SIZE = (1600, 1000)       # the Xvfb screen the test starts
POLL_MS = 100


class _E2EDriver:
    """One run of the scenario; every step is a method called from a timer."""

    def __init__(self):
        self.sample = os.environ["CADASTRE_E2E_SAMPLE"]
        self.out = os.environ["CADASTRE_E2E_OUT"]
        self.timeout = float(os.environ.get("CADASTRE_E2E_TIMEOUT", "60"))
        os.makedirs(self.out, exist_ok=True)
        self.started = time.monotonic()
        self.log_file = open(os.path.join(self.out, "driver.log"), "w", encoding="utf-8")
        self.result = {"ok": False, "error": None, "steps": []}
        self.finished = False
        self.parcels = None
        self.sheets = None
        self.dialog = None
        self.dock = None
        self.flags_path = os.path.join(self.out, "flags.gpkg")
        self._checks_done = None          # (flags path, parcel layer id) once emitted
        self._timers = []                 # keep the pollers' QTimers alive
        QgsApplication.messageLog().messageReceived.connect(self._on_log_message)
        # Gives up on its own, with a result, before the test kills QGIS.
        QTimer.singleShot(int(self.timeout * 1000), self._on_timeout)

    # -- plumbing ------------------------------------------------------------------------

    def log(self, text):
        line = f"[{time.monotonic() - self.started:7.2f}s] {text}"
        self.log_file.write(line + "\n")
        self.log_file.flush()

    def _on_log_message(self, message, tag, level):
        self.log(f"QGIS log [{tag}] ({int(level)}): {message}")

    def step(self, name):
        self.result["steps"].append(name)
        self.log(f"step: {name}")

    def later(self, fn, ms=0):
        QTimer.singleShot(ms, lambda: self._guarded(fn))

    def _guarded(self, fn):
        if self.finished:
            return
        try:
            fn()
        except Exception as err:  # noqa: BLE001 — any failure ends the run with its text
            self.fail(f"{type(err).__name__}: {err}", traceback.format_exc())

    def wait_for(self, condition, then, what, limit_s=None):
        """Poll `condition` from a timer; call `then` when it holds, fail after `limit_s`."""
        deadline = time.monotonic() + (limit_s if limit_s is not None else self.timeout)

        def poll():
            if self.finished:
                timer.stop()
                return
            try:
                done = condition()
            except Exception as err:  # noqa: BLE001
                timer.stop()
                self.fail(f"while waiting for {what}: {type(err).__name__}: {err}", traceback.format_exc())
                return
            if done:
                timer.stop()
                self._timers.remove(timer)
                self._guarded(then)
            elif time.monotonic() > deadline:
                timer.stop()
                self.fail(f"timed out waiting for {what}")

        timer = QTimer()
        timer.setInterval(POLL_MS)
        timer.timeout.connect(poll)
        self._timers.append(timer)
        timer.start()

    def check(self, condition, message):
        if not condition:
            raise AssertionError(message)

    def fail(self, message, details=""):
        self.log(f"FAILED: {message}\n{details}")
        self.result["error"] = message + (f"\n{details}" if details else "")
        if self.dialog is not None:
            try:
                self.result["dialog_message"] = self.dialog.last_message
            except RuntimeError:
                pass
        self.finish()

    def _on_timeout(self):
        if not self.finished:
            self.fail(f"the driver's own time limit ({self.timeout:.0f} s) passed; "
                      f"last step: {(self.result['steps'] or ['none'])[-1]}")

    def finish(self):
        """Write result.json, drop the edits and the project's changes, quit QGIS."""
        if self.finished:
            return
        self.finished = True
        self.result["seconds"] = round(time.monotonic() - self.started, 2)
        try:
            if self.parcels is not None and self.parcels.isEditable():
                self.parcels.rollBack()       # no "save your edits?" question on exit
            QgsProject.instance().setDirty(False)
        except Exception:  # noqa: BLE001 — quitting matters more
            self.log("rolling back failed:\n" + traceback.format_exc())
        with open(os.path.join(self.out, "result.json"), "w", encoding="utf-8") as f:
            json.dump(self.result, f, indent=2, default=str)
        self.log(f"result written; quitting QGIS (ok={self.result['ok']})")
        self.log_file.flush()
        # Through File > Exit, as a user would: it closes the project first. Quitting the
        # event loop with layers still loaded crashes QGIS 3.22 in ~QgisApp. Should Exit
        # ask a question anyway, say which, then quit the event loops outright.
        QTimer.singleShot(0, iface.actionExit().trigger)
        QTimer.singleShot(3000, self._log_what_blocks_exit)
        QTimer.singleShot(15000, lambda: QgsApplication.exit(3))

    def _log_what_blocks_exit(self):
        for widget in QApplication.topLevelWidgets():
            if widget.isVisible():
                text = widget.text() if isinstance(widget, QMessageBox) else ""
                self.log(f"still open after Exit: {type(widget).__name__} {widget.objectName()!r} "
                         f"{widget.windowTitle()!r} {text!r}")
        self.log(f"project dirty: {QgsProject.instance().isDirty()}")
        self.log_file.flush()

    # -- the scenario ---------------------------------------------------------------------

    def start(self):
        self.step("wait for the main window and the plugin")
        window = iface.mainWindow()
        self.wait_for(lambda: window.isVisible() and PLUGIN in plugins
                      and window.findChild(QObject, RUN_CHECKS_ACTION) is not None,
                      self.load_layers, "the QGIS main window and the cadastre_cleaner plugin")

    def load_layers(self):
        self.step("load the sample commune")
        window = iface.mainWindow()
        window.resize(*WINDOW_SIZE)       # no window manager under Xvfb: no maximising
        window.move(0, 0)
        gpkg = os.path.join(self.sample, "commune.gpkg")
        self.parcels = QgsVectorLayer(f"{gpkg}|layername=parcels", "parcels", "ogr")
        self.sheets = QgsVectorLayer(f"{gpkg}|layername=sheets", "sheets", "ogr")
        self.check(self.parcels.isValid() and self.sheets.isValid(), f"cannot open {gpkg}")
        project = QgsProject.instance()
        project.setCrs(self.parcels.crs())
        # A fixed style (QGIS picks a random colour): pale parcels, sheet frames as dark
        # outlines above them, so that the flags' colours stand out in the screenshot.
        self.parcels.renderer().setSymbol(QgsFillSymbol.createSimple(
            {"color": "245,241,230", "outline_color": "130,130,130", "outline_width": "0.2"}))
        self.sheets.renderer().setSymbol(QgsFillSymbol.createSimple(
            {"style": "no", "outline_color": "40,40,40", "outline_width": "0.7"}))
        project.addMapLayers([self.parcels, self.sheets])
        self.result["parcels"] = self.parcels.featureCount()
        self.result["sheets"] = self.sheets.featureCount()
        canvas = iface.mapCanvas()
        canvas.setExtent(self._in_canvas_crs(self.parcels.extent(), self.parcels))
        canvas.refresh()
        self.log(f"{self.result['parcels']} parcels, {self.result['sheets']} sheets loaded")
        self.later(self.open_run_checks)

    def open_run_checks(self):
        self.step("open Run checks through the plugin's action")
        window = iface.mainWindow()
        action = window.findChild(QObject, RUN_CHECKS_ACTION)
        self.check(action is not None, f"no action {RUN_CHECKS_ACTION}")
        menus = [a.menu() for a in iface.vectorMenu().actions() if a.menu() is not None]
        ours = [m for m in menus if m.objectName() == PLUGIN_MENU]
        self.check(ours, f"no {PLUGIN_MENU} under Vector: {[m.objectName() for m in menus]}")
        self.check(action in ours[0].actions(), "Run checks is not in the plugin's menu")
        self.check(action.isEnabled(), "the Run checks action is disabled")
        action.trigger()
        self.wait_for(lambda: self._run_checks_dialog() is not None, self.fill_dialog,
                      "the Run checks dialog", limit_s=10)

    def _run_checks_dialog(self):
        dialog = iface.mainWindow().findChild(QDialog, RUN_CHECKS_DIALOG)
        return dialog if dialog is not None and dialog.isVisible() else None

    def fill_dialog(self):
        self.step("fill the Run checks dialog and click Run")
        dialog = self.dialog = self._run_checks_dialog()
        dialog.findChild(QgsMapLayerComboBox, "parcelsLayer").setLayer(self.parcels)
        dialog.findChild(QgsMapLayerComboBox, "sheetsLayer").setLayer(self.sheets)
        dialog.findChild(QgsFileWidget, "registerFile").setFilePath(
            os.path.join(self.sample, "register.csv"))
        dialog.findChild(QgsFileWidget, "flagsFile").setFilePath(self.flags_path)
        dialog.checksFinished.connect(self._on_checks_finished)
        run = dialog.findChild(QPushButton, "runButton")
        self.check(run is not None and run.isEnabled(), "the Run button is missing or disabled")
        self.checks_started = time.monotonic()
        run.click()
        self.check(dialog.is_running(), f"the check did not start: {dialog.last_message!r}")
        self.wait_for(lambda: self._checks_done is not None or not dialog.is_running(),
                      self.review, "the check task")

    def _on_checks_finished(self, flags_path, parcels_layer_id):
        self._checks_done = (flags_path, parcels_layer_id)

    def review(self):
        self.step("check the review dock")
        self.check(self._checks_done is not None,
                   f"the check ended without checksFinished: {self.dialog.last_message!r}")
        self.result["check_seconds"] = round(time.monotonic() - self.checks_started, 2)
        self.result["check_message"] = self.dialog.last_message
        flags_path, layer_id = self._checks_done
        self.check(os.path.abspath(flags_path) == os.path.abspath(self.flags_path),
                   f"flags written to {flags_path}, not {self.flags_path}")
        self.check(layer_id == self.parcels.id(), "checksFinished names another parcel layer")
        dock = self.dock = iface.mainWindow().findChild(QDockWidget, REVIEW_DOCK)
        self.check(dock is not None, f"no dock {REVIEW_DOCK}")
        self.check(dock.isVisible(), "the review dock is not visible")
        self.check(dock is plugins[PLUGIN].review_dock, "the dock is not the plugin's review dock")
        self.result["dock_area"] = int(iface.mainWindow().dockWidgetArea(dock))
        self.result["flags"] = dock.model.rowCount()
        self.result["flags_shown"] = dock.proxy.rowCount()
        self.result["flags_layer"] = [layer.name() for layer in QgsProject.instance().mapLayers().values()
                                      if os.path.abspath(_path_of(layer)) == os.path.abspath(self.flags_path)]
        self.check(self.result["flags"] > 0, "the dock shows no flags")
        self.check(dock.parcels_layer is self.parcels, "the dock does not edit the checked parcel layer")
        self.dialog.findChild(QPushButton, "closeButton").click()     # the map is what matters now
        self.later(self.step_to_suggestion)

    def step_to_suggestion(self):
        self.step("step to the first flag with an applicable suggestion")
        dock = self.dock
        dock.set_filter("code", set(SUGGESTION_CODES))
        self.check(dock.proxy.rowCount() > 0, f"no {'/'.join(SUGGESTION_CODES)} flag")
        visited = []
        flag = dock.current_flag()
        while True:
            self.check(flag is not None, "no current flag")
            plan = dock.suggestion_plan(flag)
            visited.append({"fid": int(flag["fid"]), "code": flag["code"], "reason": plan.reason})
            if not plan.reason:
                break
            self.check(dock.next_flag(), f"no flag with an applicable suggestion: {visited}")
            flag = dock.current_flag()
        self.result["visited"] = visited
        self.flag, self.plan = flag, plan
        self.later(self.apply_suggestion)

    def apply_suggestion(self):
        self.step("apply the suggestion")
        dock, flag, plan, layer = self.dock, self.flag, self.plan, self.parcels
        button = dock.findChild(QPushButton, APPLY_BUTTON)
        self.check(button is not None and button.isVisible() and button.isEnabled(),
                   f"{APPLY_BUTTON} is missing, hidden or disabled: {button and button.toolTip()!r}")
        self.check(not layer.isEditable(), "the parcel layer is in edit mode before applying")
        fid, flag_fid = int(flag["map_fid"]), int(flag["fid"])
        index, field, old, new = plan.edits[0]
        button.click()
        changed = layer.editBuffer().changedAttributeValues() if layer.editBuffer() else {}
        self.result["applied"] = {
            "flag_fid": flag_fid, "code": flag["code"], "parcel_fid": fid, "field": field,
            "old": _plain(old), "new": _plain(new), "edits": len(plan.edits),
            "suggestion": flag["suggestion"], "sheet": flag["sheet"], "parcel": flag["parcel"],
            "layer_editable": layer.isEditable(), "layer_modified": layer.isModified(),
            "value_in_layer": _plain(layer.getFeature(fid).attribute(index)),
            "edit_buffer": {str(k): {layer.fields().at(i).name(): _plain(v) for i, v in attrs.items()}
                            for k, attrs in changed.items()},
            "undo_stack": [layer.undoStack().text(i) for i in range(layer.undoStack().count())],
            "status_in_file": _flag_status(self.flags_path, flag_fid),
            "status_in_dock": _dock_status(dock, flag_fid),
        }
        applied = self.result["applied"]
        self.log(f"applied: {json.dumps(applied, default=str)}")
        self.check(applied["layer_editable"] and applied["layer_modified"], "the parcel layer is not edited")
        self.check(applied["status_in_file"] == "fixed", f"flag {flag_fid} is {applied['status_in_file']!r}")
        self.show_for_screenshot()

    def show_for_screenshot(self):
        self.step("show the fixed flag and render the map for the screenshot")
        dock, flag_fid = self.dock, self.result["applied"]["flag_fid"]
        # The fixed flag left the list of open flags and the dock moved on to the next one:
        # show every status and go back to it (details, zoom, selected parcel).
        dock.set_filter("status", None)
        row = dock.proxy.mapFromSource(dock.model.index(dock.model.row_of_fid(flag_fid), 0)).row()
        self.check(row >= 0 and dock.select_row(row), f"flag {flag_fid} is not in the list")
        self.check(int(dock.current_flag()["fid"]) == flag_fid, "the dock shows another flag")
        canvas = iface.mapCanvas()
        # The dock zoomed to the flag; widen the view so the neighbouring parcels show.
        canvas.zoomByFactor(5)
        canvas.refresh()
        self._rendered_once = False
        canvas.mapCanvasRefreshed.connect(self._on_canvas_refreshed)
        self.render_asked = time.monotonic()
        self.wait_for(lambda: self._rendered_once and not canvas.isDrawing()
                      and time.monotonic() - self.render_asked > 1.5,
                      self.screenshot, "the map canvas to render", limit_s=20)

    def _on_canvas_refreshed(self):
        self._rendered_once = True

    def screenshot(self):
        self.step("save the screenshots")
        QgsApplication.processEvents()
        window_png = os.path.join(self.out, "qgis_main_window.png")
        canvas_png = os.path.join(self.out, "qgis_map_canvas.png")
        self.check(iface.mainWindow().grab().save(window_png, "PNG"), f"cannot write {window_png}")
        self.check(iface.mapCanvas().grab().save(canvas_png, "PNG"), f"cannot write {canvas_png}")
        self.result["screenshots"] = {"main_window": window_png, "map_canvas": canvas_png}
        self.result["canvas_extent"] = iface.mapCanvas().extent().toString(1)
        self.later(self.open_geometry)

    # -- issue #6: fix an overlap from the geometry dock, number a sheet from the codes dock --

    def _action(self, name):
        action = iface.mainWindow().findChild(QObject, name)
        self.check(action is not None, f"no action {name}")
        self.check(action.isEnabled(), f"the action {name} is disabled")
        return action

    def _render_then(self, then, what):
        """Refresh the canvas; call `then` once it has drawn and settled."""
        canvas = iface.mapCanvas()
        self._rendered_once = False
        canvas.refresh()
        self.render_asked = time.monotonic()
        self.wait_for(lambda: self._rendered_once and not canvas.isDrawing()
                      and time.monotonic() - self.render_asked > 1.0, then, what, limit_s=20)

    def _undo_count(self):
        return self.parcels.undoStack().count()

    def open_geometry(self):
        self.step("open Correct geometry through the plugin's action")
        self._action(CORRECT_GEOMETRY_ACTION).trigger()
        self.wait_for(lambda: (d := iface.mainWindow().findChild(QDockWidget, GEOMETRY_DOCK)) is not None
                      and d.isVisible(), self.fix_overlap, "the geometry dock", limit_s=10)

    def fix_overlap(self):
        self.step("pick an OVERLAP flag, preview and apply its fix")
        window = iface.mainWindow()
        dock = self.geometry_dock = window.findChild(QDockWidget, GEOMETRY_DOCK)
        self.check(dock is plugins[PLUGIN].geometry_dock, "the dock is not the plugin's geometry dock")
        self.check(dock.parcels_layer is self.parcels, "the geometry dock does not edit the checked parcels")
        self.check(os.path.abspath(dock.flags_path) == os.path.abspath(self.flags_path),
                   f"the geometry dock reads {dock.flags_path}")
        self.dock.hide()        # the review is done: give the right side to the geometry dock
        dock.set_sheet(None)
        overlaps = dock.open_flags("OVERLAP")
        codes = {}
        for flag in dock.open_flags():
            codes[flag["code"]] = codes.get(flag["code"], 0) + 1
        self.result["geometry_flags"] = codes
        self.check(overlaps, f"no open OVERLAP flag in the geometry dock: {codes}")
        table = dock.findChild(QTableWidget, "geometryFlagTable")
        combo = dock.findChild(QComboBox, "geometryMethodCombo")
        area = dock.findChild(QTableWidget, "geometryAreaTable")
        preview = dock.findChild(QPushButton, "geometryPreview")
        apply = dock.findChild(QPushButton, "geometryApply")
        self.check(None not in (table, combo, area, preview, apply), "a geometry dock widget is missing")
        self.check(table.rowCount() == len(dock.open_flags()), "the flag table does not list the open flags")
        tried = []
        chosen = None
        for flag in overlaps:
            self.check(dock.select_flag(flag["fid"]), f"cannot select flag {flag['fid']}")
            for method in dock.methods_for("OVERLAP"):
                self.check(dock.set_method(method), f"no method {method} in the combo")
                preview.click()
                tried.append({"fid": flag["fid"], "method": method, "rows": area.rowCount()})
                if area.rowCount() > 0:
                    chosen = (flag, method)
                    break
            if chosen:
                break
        self.check(chosen, f"no OVERLAP fix could be previewed: {tried}")
        flag, method = chosen
        self.check(int(dock.current_flag()["fid"]) == flag["fid"], "the dock shows another flag")
        self.check(combo.currentData() == method, "the method combo shows another method")
        rows = [[area.item(r, c).text() for c in range(area.columnCount())] for r in range(area.rowCount())]
        bands = len(dock.rubber_bands())
        before = self._undo_count()
        self.check(apply.isEnabled(), "geometryApply is disabled")
        apply.click()
        layer = self.parcels
        self.result["geometry"] = {
            "flag_fid": flag["fid"], "sheet": flag["sheet"], "parcel": flag["parcel"], "method": method,
            "tried": tried, "area_rows": rows, "rubber_bands": bands,
            "undo_before": before, "undo_after": self._undo_count(),
            "undo_text": layer.undoStack().text(layer.undoStack().count() - 1),
            "layer_modified": layer.isModified(),
            "changed_geometries": sorted(int(k) for k in layer.editBuffer().changedGeometries().keys()),
            "status_in_file": _flag_status(self.flags_path, flag["fid"]),
            "last_fixed": [int(f) for f in dock.last_fixed],
            "summary": dock.summary_label.text(),
        }
        g = self.result["geometry"]
        self.log(f"geometry fix: {json.dumps(g, default=str)}")
        self.check(g["undo_after"] == before + 1, f"undo stack {before} -> {g['undo_after']}")
        self.check(g["status_in_file"] == "fixed", f"overlap flag {flag['fid']} is {g['status_in_file']!r}")
        self.check(g["changed_geometries"], "no geometry changed in the edit buffer")
        # Show the spot that was fixed (the dock moved on to the next flag).
        self.parcels.selectByIds(g["changed_geometries"])
        dock._zoom_to(flag)
        iface.mapCanvas().zoomByFactor(2)
        self._render_then(self.screenshot_geometry, "the map after the geometry fix")

    def screenshot_geometry(self):
        self.step("screenshot the geometry dock")
        QgsApplication.processEvents()
        path = os.path.join(self.out, "geometry_dock.png")
        self.check(iface.mainWindow().grab().save(path, "PNG"), f"cannot write {path}")
        self.result["screenshots"]["geometry_dock"] = path
        self.parcels.removeSelection()
        self.later(self.open_codes)

    def open_codes(self):
        self.step("open Parcel codes through the plugin's action")
        self._action(PARCEL_CODES_ACTION).trigger()
        self.wait_for(lambda: (d := iface.mainWindow().findChild(QDockWidget, CODES_DOCK)) is not None
                      and d.isVisible(), self.number_sheet, "the codes dock", limit_s=10)

    def _numbers(self, field):
        index = self.parcels.fields().lookupField(field)
        return {f.id(): _plain(f.attribute(index)) for f in self.parcels.getFeatures()}

    def number_sheet(self):
        self.step("number one sheet: preview")
        dock = self.codes_dock = iface.mainWindow().findChild(QDockWidget, CODES_DOCK)
        self.check(dock is plugins[PLUGIN].codes_dock, "the dock is not the plugin's codes dock")
        self.check(dock.layer is self.parcels, "the codes dock does not work on the checked parcels")
        self.geometry_dock.hide()       # the codes dock gets the right side for its screenshot
        tabs = dock.findChild(QTabWidget, "codesTabs")
        self.check(tabs is not None, "no codesTabs")
        tabs.setCurrentIndex(0)
        sheet_f, number_f = dock.sheet_field.currentField(), dock.number_field.currentField()
        self.check(sheet_f and number_f, f"sheet/number fields not found: {sheet_f!r} {number_f!r}")
        sheets = [dock.sheet_list.item(i).data(Qt.ItemDataRole.UserRole) for i in range(dock.sheet_list.count())]
        sheets = [s for s in sheets if s]
        self.check(sheets, "the codes dock lists no sheet")
        preview = dock.findChild(QPushButton, "codesPreview")
        changes = dock.findChild(QTableWidget, "codesChangesTable")
        self.check(preview is not None and changes is not None, "codesPreview or codesChangesTable missing")
        dock.set_mode("renumber_all")
        tried = []
        chosen = None
        for sheet in sheets[:3]:
            dock.check_sheets([sheet])
            self.check(dock.checked_sheets() == [sheet], f"checked: {dock.checked_sheets()}")
            for band in BAND_HEIGHTS_M:
                dock.band_spin.setValue(band)
                preview.click()
                counts = dict(dock.last_result.counts) if dock.last_result is not None else {}
                tried.append({"sheet": sheet, "band": band, "changed": counts.get("changed", 0)})
                if counts.get("changed", 0) > 0:
                    chosen = (sheet, band, counts)
                    break
            if chosen:
                break
        self.check(chosen, f"no band height changes any number: {tried}")
        sheet, band, counts = chosen
        names = [layer.name() for layer in QgsProject.instance().mapLayers().values()]
        preview_layer = dock.preview_layer
        self.check(preview_layer is not None and preview_layer.id() in QgsProject.instance().mapLayers(),
                   f"no preview layer in the project: {names}")
        self.result["codes"] = {
            "sheet": sheet, "band": band, "tried": tried, "mode": dock.mode_combo.currentData(),
            "sheet_field": sheet_f, "number_field": number_f, "counts": {k: _plain(v) for k, v in counts.items()},
            "preview_layer": preview_layer.name(), "preview_labels": preview_layer.featureCount(),
            "layers": names, "changes_rows": changes.rowCount(),
            "summary": dock.numbering_summary.text(),
        }
        self.log(f"numbering preview: {json.dumps(self.result['codes'], default=str)}")
        self.check(changes.rowCount() > 0, "the changes table is empty")
        # Show the numbered sheet with the preview labels.
        index = self.parcels.fields().lookupField(sheet_f)
        extent = QgsRectangle()
        extent.setMinimal()
        for f in self.parcels.getFeatures():
            if _plain(f.attribute(index)) is not None and str(_plain(f.attribute(index))) == sheet:
                extent.combineExtentWith(f.geometry().boundingBox())
        if not extent.isEmpty():
            extent.scale(1.05)
            iface.mapCanvas().setExtent(self._in_canvas_crs(extent, self.parcels))
        self._render_then(self.screenshot_codes, "the map with the preview numbers")

    def screenshot_codes(self):
        self.step("screenshot the codes dock")
        QgsApplication.processEvents()
        path = os.path.join(self.out, "codes_dock.png")
        self.check(iface.mainWindow().grab().save(path, "PNG"), f"cannot write {path}")
        self.result["screenshots"]["codes_dock"] = path
        self.later(self.apply_numbers)

    def apply_numbers(self):
        self.step("number one sheet: apply")
        dock, codes = self.codes_dock, self.result["codes"]
        sheet_f, number_f = codes["sheet_field"], codes["number_field"]
        sheet_of = self._numbers(sheet_f)
        before_numbers = self._numbers(number_f)
        before = self._undo_count()
        csv_path = os.path.join(self.out, "renumbering.csv")
        changed = dock.apply(csv_path)
        after_numbers = self._numbers(number_f)
        diff = sorted(k for k in after_numbers if str(after_numbers[k]) != str(before_numbers.get(k)))
        other_sheets = sorted({str(sheet_of[k]) for k in diff if str(sheet_of[k]) != codes["sheet"]})
        layer = self.parcels
        codes.update({
            "applied": changed, "numbers_changed": len(diff), "other_sheets_changed": other_sheets,
            "undo_before": before, "undo_after": self._undo_count(),
            "undo_text": layer.undoStack().text(layer.undoStack().count() - 1),
            "csv": os.path.exists(csv_path),
            "preview_layer_after": [lyr.name() for lyr in QgsProject.instance().mapLayers().values()
                                    if lyr.providerType() == "memory"],
        })
        self.log(f"numbering applied: {json.dumps(codes, default=str)}")
        self.check(changed > 0 and len(diff) == changed, f"{changed} applied, {len(diff)} numbers changed")
        self.check(not other_sheets, f"numbers changed on other sheets: {other_sheets}")
        self.check(codes["undo_after"] == before + 1, f"undo stack {before} -> {codes['undo_after']}")
        self.later(self.roll_back)

    def roll_back(self):
        self.step("roll the edits back")
        layer, flag_fid = self.parcels, self.result["applied"]["flag_fid"]
        layer.rollBack()
        self.result["after_rollback"] = {
            "layer_editable": layer.isEditable(),
            "value_in_layer": _plain(layer.getFeature(self.result["applied"]["parcel_fid"])
                                     .attribute(layer.fields().lookupField(self.result["applied"]["field"]))),
            "status_in_file": _flag_status(self.flags_path, flag_fid),
        }
        self.result["after_rollback_extra"] = {
            "undo_stack": layer.undoStack().count(),
            "geometry_flag_status": _flag_status(self.flags_path, self.result["geometry"]["flag_fid"]),
        }
        self.result["ok"] = True
        self.finish()

    def _in_canvas_crs(self, rect, layer):
        dest = iface.mapCanvas().mapSettings().destinationCrs()
        if not dest.isValid() or dest == layer.crs():
            return QgsRectangle(rect)
        return QgsCoordinateTransform(layer.crs(), dest, QgsProject.instance()).transformBoundingBox(rect)


def _plain(value):
    """A QVariant-ish attribute value as JSON-friendly Python."""
    if value is None or (hasattr(value, "isNull") and value.isNull()):
        return None
    return value if isinstance(value, (int, float, str, bool)) else str(value)


def _path_of(layer):
    return layer.source().split("|", 1)[0]


def _flag_status(path, fid):
    """The status of flag `fid` as the flags file has it (read with OGR, not the plugin)."""
    ds = ogr.Open(path)
    try:
        feature = ds.GetLayerByName("flags").GetFeature(int(fid))
        return None if feature is None else feature.GetField("status")
    finally:
        ds = None


def _dock_status(dock, fid):
    row = dock.model.row_of_fid(fid)
    return None if row < 0 else dock.model.flag(row)["status"]


_cadastre_e2e_driver = _E2EDriver()
QTimer.singleShot(0, lambda: _cadastre_e2e_driver._guarded(_cadastre_e2e_driver.start))
