"""The Pengaturan page: settings, the kepala daerah and signing certificates."""
