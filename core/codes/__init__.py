"""Numbering and codes: zig-zag parcel numbering, national identification codes
(GeoHash), and sheet renumbering after the 2025 commune merger."""
