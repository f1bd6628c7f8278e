"""The Pengaduan page: complaints, their tabs and their Beranda card."""
