"""QR enrollment slips: signed payload and its outputs."""
