"""Geometry fixes for cadastral topology faults: shapely geometries in, new ones out.

Parcels must form a coverage: no overlaps, no gaps, and neighbours share their
boundary vertex for vertex. core/topology/ finds the faults and fixes/bulk.py and
fixes/one.py apply fixes to a layer; these modules only compute the new geometries and
say what changed, so every fix can be previewed, logged and undone. No files, no layers.

Every function keeps three rules:
- results are valid Polygons or MultiPolygons (a fix that cannot keep that leaves
  the parcel as it was and says so);
- area never changes silently: changes are reported with the area before and after;
- shared boundaries stay exact: where a fix puts a new vertex on a boundary shared
  with a neighbour, the neighbour gets the same vertex and is returned as changed.

This module is the one place callers import the fixes from; they live in rings.py
(shared ground), shape.py (one parcel), snapping.py and coverage.py (between neighbours).
"""
from .coverage import choose_overlap_owner, fill_gap, give_overlap, merge_into_neighbour
from .rings import (GAP_METHODS, MERGE_METHODS, NODE_TOLERANCE, OVERLAP_METHODS, FixReport,
                    _polygonal)
from .shape import make_valid, remove_repeated_vertices, remove_spikes
from .snapping import node_neighbours, snap_to_neighbours

__all__ = ["FixReport", "GAP_METHODS", "MERGE_METHODS", "NODE_TOLERANCE", "OVERLAP_METHODS",
           "choose_overlap_owner", "fill_gap", "give_overlap", "make_valid", "merge_into_neighbour",
           "node_neighbours", "remove_repeated_vertices", "remove_spikes", "snap_to_neighbours",
           "_polygonal"]
