"""Sinkronisasi: the sync page, conflicts and the offices of the district."""
