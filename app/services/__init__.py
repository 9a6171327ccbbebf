"""Business rules, callable from the web UI, the API, the CLI and the tests alike."""
