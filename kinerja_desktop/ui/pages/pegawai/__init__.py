"""The pages of the person being evaluated: Kinerja Saya, Keberatan, and the Beranda's waiting list."""
