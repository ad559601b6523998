"""Secrets across the places that hold them, compared without being revealed."""
