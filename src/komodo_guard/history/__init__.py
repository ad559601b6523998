"""Komodo's update log read as incidents: what failed, why, for how long, how often."""
