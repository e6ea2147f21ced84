"""QR enrollment slips: signed payload and its outputs (docs/slips.md).

payload (the signed QR text) on codec (Crockford base32) and signing (key ids, known keys);
keys (this device's Ed25519 key) and keyring (the keys it trusts); content (what a slip says,
translated); qr (the QR matrix); layout, pdf and png (paper and pictures); thermal and printers
(ESC/POS and CUPS); text (terminal); decode (reading a photo back). No Textual here.
"""
