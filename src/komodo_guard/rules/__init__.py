"""Rules: one small module each, pure functions over collected facts.

:mod:`komodo_guard.rules.registry` lists every rule by hand.
"""
