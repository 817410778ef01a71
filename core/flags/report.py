"""The XLSX report: the flags, a summary per sheet (the evening progress figures), the run."""
import pandas as pd

from . import catalogue as cat
from ..errors import InputError

FLAG_COLUMNS = ["code", "severity", "status", "commune", "sheet", "parcel", "map_fid",
                "register_row", "message", "suggestion", "confidence", "map_value",
                "register_value", "comment", "first_seen", "last_seen"]


def sheet_summary(m: pd.DataFrame, pairs: pd.DataFrame, flags: pd.DataFrame) -> pd.DataFrame:
    """Per commune and sheet: parcels, matched with the register, flagged, clean, clean %.

    Clean = matched and no open error/warning flag on the parcel (info flags do not count);
    without a register (pairs None) clean = no such flag."""
    matched = pd.Series(False, index=m.index)
    if pairs is not None:
        matched[pairs["map_idx"].to_numpy()] = True
    serious = flags[(flags["severity"] != cat.INFO) & (flags["map_idx"] >= 0)
                    & flags["geom_kind"].isin(["map", "own"])]
    flagged = pd.Series(False, index=m.index)
    flagged[serious["map_idx"].unique()] = True
    frame = pd.DataFrame({"commune": m["commune"], "sheet": m["sheet"], "parcels": 1,
                          "matched": matched.astype(int), "flagged": flagged.astype(int),
                          "clean": ((matched if pairs is not None else True) & ~flagged).astype(int)})
    out = frame.groupby(["commune", "sheet"], sort=False).sum().reset_index()
    out["clean_pct"] = (100.0 * out["clean"] / out["parcels"]).round(1)
    return _sort_sheets(out)


def _sort_sheets(frame: pd.DataFrame) -> pd.DataFrame:
    # Sheets are text ('TĐ03-2014'); numeric ones sort as numbers first.
    num = pd.to_numeric(frame["sheet"], errors="coerce")
    return frame.assign(_n=num.fillna(float("inf"))).sort_values(["commune", "_n", "sheet"]) \
        .drop(columns="_n").reset_index(drop=True)


FIGURES = ["parcels", "matched", "flagged", "open_errors", "reviewed", "clean"]


def commune_summary(summary: pd.DataFrame) -> pd.DataFrame:
    """Per commune the sums of its sheets' figures, clean % recomputed."""
    cols = [c for c in FIGURES if c in summary]
    if not len(summary):
        return pd.DataFrame(columns=["commune", *cols, "clean_pct"])
    nums = summary[cols].apply(pd.to_numeric, errors="coerce")
    out = nums.groupby(summary["commune"].astype(str), sort=True).sum(min_count=1).reset_index()
    parcels = out["parcels"].where(out["parcels"] > 0)
    out["clean_pct"] = (100.0 * out["clean"] / parcels).round(1)
    return out


def write_report(path: str, flags: pd.DataFrame, summary: pd.DataFrame, run: dict) -> None:
    """`summary` without open_errors/reviewed (a run's own figures) gets them from the stored
    `flags` (with their review status), clean recomputed."""
    if "open_errors" not in summary and "status" in flags and "run_id" in flags:
        from .store import review_figures
        summary = review_figures(summary, flags)
    codes = flags.groupby(["code", "severity"]).size().rename("flags").reset_index()
    codes["title"] = codes["code"].map(lambda c: cat.check(c).title_tr() if c in cat.CATALOGUE else c)
    run_rows = pd.DataFrame({"item": list(run.keys()), "value": [str(v) for v in run.values()]})
    try:
        with pd.ExcelWriter(path, engine="openpyxl") as xl:
            cols = [c for c in FLAG_COLUMNS if c in flags]
            flags[cols].to_excel(xl, sheet_name="flags", index=False)
            summary.to_excel(xl, sheet_name="sheets", index=False)
            commune_summary(summary).to_excel(xl, sheet_name="communes", index=False)
            codes.to_excel(xl, sheet_name="codes", index=False)
            run_rows.to_excel(xl, sheet_name="run", index=False)
            for ws in xl.book.worksheets:
                ws.freeze_panes = "A2"
                ws.auto_filter.ref = ws.dimensions
                for col in ws.columns:
                    width = max(len(str(c.value or "")) for c in list(col)[:200])
                    ws.column_dimensions[col[0].column_letter].width = min(max(width + 2, 8), 60)
    except PermissionError:
        raise InputError("cannot write the report (is it open in Excel?)", path,
                         fix="close the file or choose another name") from None


def export_report(flags_path: str, out: str) -> dict:
    """The XLSX report of an existing flags file: its flags with their review status, the
    newest run's per-sheet figures and that run's settings. Returns counts."""
    from .store import read_flags
    import os
    if not os.path.exists(flags_path):
        raise InputError("no flags file here", flags_path, fix="run the checks first, or choose the flags file")
    flags, _, runs, sheets = read_flags(flags_path)
    if len(runs):
        last = runs.assign(_id=pd.to_numeric(runs["run_id"], errors="coerce")).sort_values("_id").iloc[-1]
        run = {k: last[k] for k in runs.columns}
        summary = sheets[pd.to_numeric(sheets["run_id"], errors="coerce") == last["_id"]] \
            .drop(columns=["run_id", "taken_at"], errors="ignore")
    else:
        run, summary = {}, sheets
    write_report(out, flags, summary.reset_index(drop=True), run)
    return {"flags": len(flags), "open": int((flags["status"] == cat.OPEN).sum()), "sheets": len(summary)}
