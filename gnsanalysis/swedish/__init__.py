"""Swedish numbers: exact parsing of printed figures, formatting, rounding."""
