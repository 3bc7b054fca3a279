"""The bundled reports (package data). Each .txt file name is a stable document ID."""
