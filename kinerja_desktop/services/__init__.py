"""Use cases over the store: each function takes a Session and plain values (no Qt)."""
