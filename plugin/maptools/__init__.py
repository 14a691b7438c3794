"""Map tools: the pole line tool, its toolbar options and the pieces it writes with."""
