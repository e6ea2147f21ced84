"""Sub-commands of `outreach`, one module per group of related commands."""
