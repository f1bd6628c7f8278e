"""SKP, evaluations, feedback, capaian, penetapan, Angka Kredit and the recaps built on them."""
