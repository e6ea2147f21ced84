"""Pure rules of BPU enrollment: no I/O, no SQLite, no Textual."""
