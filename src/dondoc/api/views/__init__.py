"""The endpoints under /api/, one module per resource."""
