"""The Penilaian Kinerja page: evaluations, their cards on Beranda, the chart and the distribution curve."""
