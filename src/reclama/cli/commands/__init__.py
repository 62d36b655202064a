"""One module per command; each exposes `register(app)` and keeps heavy imports inside functions."""
