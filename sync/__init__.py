"""Sync between the laptop and the central API."""
