"""Typeset a converted page: clreq markup, sheet planning and the Jinja2 HTML of the printed page."""
