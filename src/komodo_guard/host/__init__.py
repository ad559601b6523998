"""What is on a Docker host: Komodo's git checkouts and the running containers."""
