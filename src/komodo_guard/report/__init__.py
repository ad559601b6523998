"""Output formats: pure functions from a result to text. Only the CLI writes."""
