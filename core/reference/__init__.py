"""Reference data: official administrative units (before and after the 2025 merger),
land-use type codes and the Circular 25 map-sheet grid."""
