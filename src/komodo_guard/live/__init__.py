"""Talking to Komodo Core: the API client and the live snapshot collector.

``client`` sends read, write and execute calls with an API key from the
environment; ``snapshot`` reads everything live rules need in one pass;
``views`` holds the typed views of Core's answers; ``errors`` the exceptions.
"""
