"""outreach: the field tool for enrolling BPU workers into BPJS Ketenagakerjaan."""

__version__ = "0.1.0"
