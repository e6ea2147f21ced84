"""Realistic sample records (names, valid NIKs, phones, statuses) for the demo and benchmarks."""

from outreach_tui.sampledata.generator import FIELDS, TODAY, generate

__all__ = ["FIELDS", "TODAY", "generate"]
