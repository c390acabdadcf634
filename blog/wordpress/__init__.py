"""
Moving in from WordPress and leaving again: reading and writing its export
format (WXR), and showing the HTML its posts are written in.
"""
