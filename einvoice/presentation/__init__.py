"""What people look at: the German invoice rendering (HTML, PDF), SVG charts, the decision paper.

Uses ``domain`` and ``formats``; ``formats`` never imports from here.
"""
