"""The audit chain: writing entries, reading them, and saying them in words."""
