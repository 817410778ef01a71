"""Geometry fixes: single fixes on shapely geometries, one flag at a time for the docks,
and the whole layer in bulk for the `fix` command, with a change log."""
