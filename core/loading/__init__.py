"""Loading: map-sheet files (SHP, GPKG, TAB, GML, DXF, DGN) and register tables in,
read-only, with their CRS, legacy Vietnamese text and sheet numbers worked out."""
