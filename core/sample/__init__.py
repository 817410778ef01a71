"""Sample data: generated communes (map, sheet frames, register, answer key) for tests and demos."""
from .generator import SampleResult, SampleSpec, generate_sample

__all__ = ["SampleResult", "SampleSpec", "generate_sample"]
