"""LayerFrame: a layer or table as the engine sees it — attributes, geometry, provenance."""
from dataclasses import dataclass, field

import numpy as np
import pandas as pd


@dataclass
class LayerFrame:
    """Attributes as a DataFrame (one row per feature, original field names),
    geometries as a shapely array aligned with the rows (None for tables),
    `fids` the feature ids (map) and `rows` the row numbers a user sees
    (spreadsheet row of a register line), both aligned with the rows."""

    attrs: pd.DataFrame
    source: str
    geometry: np.ndarray | None = None
    fids: np.ndarray | None = None
    rows: np.ndarray | None = None
    crs_wkt: str = ""
    crs_authid: str = ""
    notes: list[str] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.attrs)
