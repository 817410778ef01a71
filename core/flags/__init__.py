"""Flags: the one catalogue of check codes, the flag set a run builds, the flags file with
reviewers' decisions, exports, the XLSX report and the progress history."""
