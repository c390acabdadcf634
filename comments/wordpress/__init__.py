"""The comments of a WordPress site, brought in with its posts and written out."""
