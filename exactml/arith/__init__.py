"""Exact machinery shared by several algorithms: lazy expressions, radicals, distances, nearest search."""
