"""Developer benchmarks (`make bench`): our engine beside peers measured in the same run.
Not shipped in the plugin ZIP."""
