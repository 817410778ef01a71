"""Topology checks of a parcel coverage: validity, overlaps, gaps, noding, shape faults,
and which sheet each parcel really lies on."""
