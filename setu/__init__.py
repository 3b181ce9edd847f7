"""Setu: the Nepal–India anti-trafficking case system."""
