"""The Pelatihan page and its Beranda card of the 20 JP rule."""
