"""The demo district: realistic Batanghari data for training and screenshots."""
