"""Jinja2 templates for every user-visible sentence assembled from data (package data)."""
